package io.consilium.router.profiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.MockBehaviour;
import io.consilium.registry.Provider;
import io.consilium.router.RunningService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProfilingIT extends RunningService {

    private static final String ITEMS = """
            [{"id": "d1", "question": "What is the derivative of x^2? (A) x (B) 2x (C) x^2 (D) 2", "answer": "B",
              "answer_type": "mcq", "skills": ["math.calculus"]},
             {"id": "n1", "question": "What is 6 times 7?", "answer": 42, "answer_type": "number"},
             {"id": "e1", "question": "Name the capital of France.", "answer": "Paris", "answer_type": "exact",
              "skills": ["humanities.history"]}]""";

    private JsonNode awaitEnd(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() ->
                List.of("succeeded", "failed", "cancelled").contains(
                        json(send("GET", "/admin/api/profiling-jobs/" + id, null, null)).path("status").asString()));
        return json(send("GET", "/admin/api/profiling-jobs/" + id, null, null));
    }

    @Test
    void should_run_a_job_from_json_and_show_the_measured_profiles() {
        // when
        HttpResponse<String> started = postJson("/admin/api/profiling-jobs",
                "{\"items\": " + ITEMS + ", \"experts\": [\"mock-math\", \"mock-code\"], \"concurrency\": 2}");

        // then
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode end = awaitEnd(json(started).path("id").asString());
        assertThat(end.path("status").asString()).isEqualTo("succeeded");
        assertThat(end.path("progress").path("done").asInt()).isEqualTo(6);
        assertThat(end.path("progress").path("total").asInt()).isEqualTo(6);
        assertThat(end.path("started_at").isString()).isTrue();
        assertThat(end.path("finished_at").isString()).isTrue();
        JsonNode profiles = json(send("GET", "/admin/api/profiles", null, null)).path("data");
        JsonNode math = null;
        for (JsonNode profile : profiles) {
            if (profile.path("expert_id").asString().equals("mock-math")) {
                math = profile;
            }
        }
        assertThat(math).isNotNull();
        assertThat(math.path("version").asLong()).isPositive();
        assertThat(math.path("global_competence").asDouble()).isBetween(0.0, 1.0);
        assertThat(math.path("skills").toString()).contains("\"id\":\"math.calculus\"").contains("\"attempted\":1.0");
        assertThat(send("GET", "/admin/api/profiling-jobs", null, null).body()).contains(json(started).path("id").asString());
    }

    @Test
    void should_accept_a_jsonl_upload_and_stream_progress_events() throws Exception {
        // given
        StringBuilder lines = new StringBuilder();
        for (JsonNode item : JSON.readTree(ITEMS)) {
            lines.append(item.toString()).append('\n');
        }

        // when
        HttpResponse<String> started = send("POST", "/admin/api/profiling-jobs?experts=mock-science&concurrency=1",
                "application/x-ndjson", lines.toString());
        String id = json(started).path("id").asString();
        List<String> events = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                    URI.create(baseUrl() + "/admin/api/profiling-jobs/" + id + "/events"))
                            .header("authorization", "Bearer " + ADMIN_KEY).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.startsWith("data:")) {
                        events.add(line.substring(5));
                    }
                }
            }
        }

        // then
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(events).isNotEmpty();
        assertThat(JSON.readTree(events.getLast()).path("status").asString()).isEqualTo("succeeded");
        assertThat(JSON.readTree(events.getLast()).path("progress").path("done").asInt()).isEqualTo(3);
    }

    @Test
    void should_cancel_a_running_job() {
        // given: a slow expert and many items
        registry.register(Expert.builder("slow-mock").provider(Provider.MOCK)
                .mock(new MockBehaviour(Duration.ofMillis(300), 0)).build());
        StringBuilder items = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            items.append(i == 0 ? "" : ",").append("{\"id\": \"q").append(i)
                    .append("\", \"question\": \"2+").append(i).append("?\", \"answer\": ").append(2 + i)
                    .append(", \"answer_type\": \"number\", \"skills\": [\"math.algebra\"]}");
        }
        String id = json(postJson("/admin/api/profiling-jobs",
                "{\"items\": " + items + "], \"experts\": [\"slow-mock\"], \"concurrency\": 1}")).path("id").asString();

        // when
        HttpResponse<String> cancelled = send("DELETE", "/admin/api/profiling-jobs/" + id, null, null);

        // then
        assertThat(cancelled.statusCode()).isEqualTo(200);
        JsonNode end = awaitEnd(id);
        assertThat(end.path("status").asString()).isEqualTo("cancelled");
        assertThat(end.path("progress").path("done").asInt()).isLessThan(40);
    }

    @Test
    void should_reject_bad_jobs_naming_the_item_and_field() {
        HttpResponse<String> badType = postJson("/admin/api/profiling-jobs",
                "{\"items\": [{\"id\": \"x\", \"question\": \"q\", \"answer\": \"A\", \"answer_type\": \"essay\"}]}");
        HttpResponse<String> noAnswer = postJson("/admin/api/profiling-jobs",
                "{\"items\": [{\"id\": \"x\", \"question\": \"q\", \"answer_type\": \"exact\"}]}");
        HttpResponse<String> unknownExpert = postJson("/admin/api/profiling-jobs",
                "{\"items\": " + ITEMS + ", \"experts\": [\"nobody\"]}");
        HttpResponse<String> badSkill = postJson("/admin/api/profiling-jobs", "{\"items\": [{\"id\": \"x\", "
                + "\"question\": \"q\", \"answer\": \"A\", \"answer_type\": \"mcq\", \"skills\": [\"astrology\"]}]}");
        HttpResponse<String> badLine = send("POST", "/admin/api/profiling-jobs", "application/x-ndjson", "{\"id\": \n");

        assertThat(json(badType).path("error").path("message").asString()).contains("items[0]").contains("essay");
        assertThat(json(noAnswer).path("error").path("message").asString()).contains("items[0]").contains("answer");
        assertThat(json(unknownExpert).path("error").path("message").asString()).contains("nobody");
        assertThat(json(badSkill).path("error").path("message").asString()).contains("astrology");
        assertThat(json(badLine).path("error").path("message").asString()).contains("line 1");
        for (HttpResponse<String> response : List.of(badType, noAnswer, unknownExpert, badSkill, badLine)) {
            assertThat(response.statusCode()).isEqualTo(400);
        }
        assertThat(send("GET", "/admin/api/profiling-jobs/nope", null, null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/admin/api/profiling-jobs/nope", null, null).statusCode()).isEqualTo(404);
    }
}
