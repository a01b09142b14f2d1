package io.consilium.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.aggregator.AnswerExtraction;
import io.consilium.profiler.ProfilingItem;
import io.consilium.profiler.ProfilingJobs;
import io.consilium.profiler.ProfilingRequest;
import io.consilium.profiler.testing.SimulatedExperts;
import io.consilium.registry.Expert;
import io.consilium.registry.Provider;
import io.consilium.router.RunningService;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Routing quality with simulated experts of known per-skill accuracy: profiles are measured by a
 * profiling job, then held-out questions (never used to train the classifier) are answered through
 * consilium/auto (vote), consilium/route, every single expert, and random routing.
 */
class RoutingQualityIT extends RunningService {

    private static final List<String> SKILLS = List.of("math.calculus", "law", "cs.programming",
            "science.chemistry", "humanities.history", "business.finance");
    private static final double STRONG = 0.9;
    private static final double WEAK = 0.25;
    private static final SimulatedExperts SIMULATION = new SimulatedExperts();

    @Autowired
    private ProfilingJobs jobs;

    @AfterAll
    static void stopSimulation() {
        SIMULATION.close();
    }

    /** Expert i is strong at skills i and i+1, weak at the rest: every skill has two specialists. */
    private List<String> registerExperts() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SKILLS.size(); i++) {
            String id = "quality-" + i;
            Map<String, Double> accuracy = new HashMap<>();
            for (int s = 0; s < SKILLS.size(); s++) {
                accuracy.put(SKILLS.get(s), s == i || s == (i + 1) % SKILLS.size() ? STRONG : WEAK);
            }
            SIMULATION.expert(id, accuracy);
            registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(SIMULATION.baseUrl()).model(id).build());
            ids.add(id);
        }
        return ids;
    }

    private String answerOf(String model, ProfilingItem item, String options) {
        String body = "{\"model\": \"" + model + "\", \"messages\": " + item.messages() + options + "}";
        JsonNode response = json(postJson("/v1/chat/completions", body));
        return response.path("choices").path(0).path("message").path("content").asString("");
    }

    private static boolean correct(String answer, ProfilingItem item) {
        return AnswerExtraction.choiceLetter(answer).map(item.answer()::equals).orElse(false);
    }

    @Test
    void should_beat_the_best_single_expert_and_random_routing() throws Exception {
        // given: experts profiled on their own validation items
        List<String> experts = registerExperts();
        String allow = "[\"" + String.join("\", \"", experts) + "\"]";
        String jobId = jobs.start(new ProfilingRequest(SIMULATION.items(SKILLS, 30, 21), experts, List.of(), 8, true, 0, null)).id();
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(jobId).orElseThrow().status().isFinal());
        List<ProfilingItem> questions = new ArrayList<>();
        for (String skill : SKILLS) {
            List<String> texts = heldOut(skill);
            for (int i = 0; i < texts.size(); i++) {
                questions.add(SIMULATION.item("q-" + skill + "-" + i, skill, texts.get(i), skill.hashCode() + i));
            }
        }

        // when
        int auto = 0;
        int route = 0;
        int random = 0;
        int[] single = new int[experts.size()];
        Random pick = new Random(5);
        for (ProfilingItem question : questions) {
            auto += correct(answerOf("consilium/auto", question, ", \"consilium\": {\"strategy\": \"symbolic-moe\", "
                    + "\"fusion\": \"vote\", \"k\": 3, \"experts\": {\"allow\": " + allow + "}}"), question) ? 1 : 0;
            route += correct(answerOf("consilium/route", question,
                    ", \"consilium\": {\"experts\": {\"allow\": " + allow + "}}"), question) ? 1 : 0;
            boolean[] right = new boolean[experts.size()];
            for (int e = 0; e < experts.size(); e++) {
                right[e] = correct(answerOf(experts.get(e), question, ""), question);
                single[e] += right[e] ? 1 : 0;
            }
            random += right[pick.nextInt(experts.size())] ? 1 : 0;
        }

        // then
        double n = questions.size();
        int bestSingle = java.util.Arrays.stream(single).max().orElseThrow();
        System.out.printf("routing quality over %d held-out questions: auto(vote,k=3) %.1f%%, route %.1f%%, "
                        + "best single expert %.1f%%, random routing %.1f%%%n",
                questions.size(), 100 * auto / n, 100 * route / n, 100 * bestSingle / n, 100 * random / n);
        assertThat(auto).isGreaterThan(bestSingle).isGreaterThan(random);
        assertThat(route).isGreaterThan(bestSingle);
    }

    private static List<String> heldOut(String skill) throws Exception {
        try (InputStream in = RoutingQualityIT.class.getResourceAsStream("/io/consilium/profiler/heldout/" + skill + ".txt")) {
            List<String> lines = new ArrayList<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isBlank()).forEach(lines::add);
            return lines;
        }
    }
}
