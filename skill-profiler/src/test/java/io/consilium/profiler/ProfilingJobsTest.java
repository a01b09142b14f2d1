package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.aggregator.Fuser;
import io.consilium.aggregator.FusionConfig;
import io.consilium.profiler.internal.InMemoryProfileStore;
import io.consilium.profiler.internal.InMemoryProfilingJobStore;
import io.consilium.profiler.testing.SimulatedExperts;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.ExpertStores;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Profiling against simulated experts with known accuracies, over real HTTP. */
class ProfilingJobsTest {

    private static final List<String> SKILLS = List.of("math.calculus", "law", "cs.programming");
    /** True accuracies: every skill ranks the five experts differently. */
    private static final Map<String, Map<String, Double>> TRUTH = Map.of(
            "e1", Map.of("math.calculus", 0.95, "law", 0.30, "cs.programming", 0.55),
            "e2", Map.of("math.calculus", 0.75, "law", 0.50, "cs.programming", 0.95),
            "e3", Map.of("math.calculus", 0.55, "law", 0.95, "cs.programming", 0.35),
            "e4", Map.of("math.calculus", 0.35, "law", 0.75, "cs.programming", 0.75),
            "e5", Map.of("math.calculus", 0.15, "law", 0.10, "cs.programming", 0.15));

    private SimulatedExperts simulation;
    private ExpertClients clients;
    private ExpertRegistry registry;
    private ProfileService profiles;
    private ProfilingJobs jobs;

    @BeforeEach
    void setUp() {
        simulation = new SimulatedExperts();
        TRUTH.forEach(simulation::expert);
        clients = ExpertClients.create(ResilienceSettings.custom()
                .initialBackoff(Duration.ofMillis(1)).slidingWindowSize(50).minimumCalls(50).build(),
                new SimpleMeterRegistry());
        registry = new ExpertRegistry(ExpertStores.inMemory(), skill -> true, clients);
        profiles = new ProfileService(new InMemoryProfileStore(Clock.systemUTC()), CompetenceModel.DEFAULTS);
        jobs = new ProfilingJobs(registry, profiles, null, Fuser.of(FusionConfig.ofDefaults()),
                new InMemoryProfilingJobStore(10), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        jobs.close();
        clients.close();
        simulation.close();
    }

    private Expert register(String id, String... roles) {
        return registry.register(Expert.builder(id).provider(Provider.OPENAI).baseUrl(simulation.baseUrl()).model(id)
                .roleIds(roles.length == 0 ? List.of("expert") : List.of(roles)).build());
    }

    private ProfilingJobStatus runToEnd(ProfilingRequest request) {
        String id = jobs.start(request).id();
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.status(id).orElseThrow().status().isFinal());
        return jobs.status(id).orElseThrow();
    }

    @Test
    void should_rank_experts_per_skill_in_their_true_order() {
        // given
        TRUTH.keySet().forEach(this::register);
        List<ProfilingItem> items = simulation.items(SKILLS, 50, 11);

        // when
        long started = System.nanoTime();
        ProfilingJobStatus status = runToEnd(new ProfilingRequest(items, List.of(), List.of(), 8, false, 0, null));
        double seconds = (System.nanoTime() - started) / 1e9;

        // then
        assertThat(status.status()).isEqualTo(ProfilingJobStatus.State.SUCCEEDED);
        assertThat(status.done()).isEqualTo(status.total()).isEqualTo(items.size() * TRUTH.size());
        assertThat(status.errors()).isZero();
        double spearmanSum = 0;
        for (String skill : SKILLS) {
            List<String> trueOrder = rankBy(expert -> TRUTH.get(expert).get(skill));
            List<String> measuredOrder = rankBy(expert -> profiles.competence(registry.find(expert).orElseThrow(), skill));
            double rho = spearman(trueOrder, measuredOrder);
            System.out.printf("%s true %s measured %s spearman %.2f%n", skill, trueOrder, measuredOrder, rho);
            spearmanSum += rho;
        }
        System.out.printf("profiled %d answers in %.2f s (%.0f items x experts per second)%n",
                status.total(), seconds, status.total() / seconds);
        assertThat(spearmanSum / SKILLS.size()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void should_count_failed_calls_as_errors_and_not_as_wrong_answers() {
        // given
        register("e1");
        simulation.failing("e1", 0.2);
        List<ProfilingItem> items = simulation.items(List.of("law"), 40, 3);

        // when
        ProfilingJobStatus status = runToEnd(new ProfilingRequest(items, List.of("e1"), List.of(), 4, false, 0, null));

        // then
        ExpertProfile profile = profiles.profile("e1").orElseThrow();
        assertThat(status.errors()).isPositive().isEqualTo((int) profile.errors());
        assertThat(profile.counts("law").attempted()).isEqualTo(items.size() - status.errors(),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(status.status()).isEqualTo(ProfilingJobStatus.State.SUCCEEDED);
    }

    @Test
    void should_accumulate_across_runs_unless_reset() {
        // given
        register("e2");
        List<ProfilingItem> items = simulation.items(List.of("law"), 10, 5);

        // when
        runToEnd(new ProfilingRequest(items, List.of("e2"), List.of(), 4, false, 0, null));
        runToEnd(new ProfilingRequest(items, List.of("e2"), List.of(), 4, false, 0, null));
        double accumulated = profiles.profile("e2").orElseThrow().counts("law").attempted();
        runToEnd(new ProfilingRequest(items, List.of("e2"), List.of(), 4, true, 0, null));

        // then
        assertThat(accumulated).isEqualTo(20);
        assertThat(profiles.profile("e2").orElseThrow().counts("law").attempted()).isEqualTo(10);
    }

    @Test
    void should_refuse_a_named_judge_that_cannot_judge_even_when_no_item_needs_one() {
        // given
        register("e4");
        register("aggregating", "aggregator");
        List<ProfilingItem> items = simulation.items(List.of("law"), 2, 3);

        // then
        for (String judge : List.of("no-such-judge", "aggregating")) {
            assertThatThrownBy(() -> jobs.start(new ProfilingRequest(items, List.of("e4"), List.of(), 1, false, 0, judge)))
                    .isInstanceOfSatisfying(InvalidProfilingRequestException.class, e -> {
                        assertThat(e.field()).isEqualTo("judge");
                        assertThat(e.getMessage()).startsWith("judge: ").contains("'" + judge + "'");
                    });
        }
        assertThat(jobs.recent(10)).isEmpty();
    }

    @Test
    void should_stop_a_cancelled_job() {
        // given
        register("e3");
        simulation.slow("e3", Duration.ofMillis(200));
        List<ProfilingItem> items = simulation.items(List.of("law"), 100, 7);
        String id = jobs.start(new ProfilingRequest(items, List.of("e3"), List.of(), 1, false, 0, null)).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> jobs.status(id).orElseThrow().done() >= 1);

        // when
        jobs.cancel(id);

        // then
        await().atMost(Duration.ofSeconds(5)).until(() -> jobs.status(id).orElseThrow().status().isFinal());
        ProfilingJobStatus status = jobs.status(id).orElseThrow();
        assertThat(status.status()).isEqualTo(ProfilingJobStatus.State.CANCELLED);
        int callsAtEnd = simulation.upstream().calls();
        assertThat(status.done()).isLessThan(20);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> simulation.upstream().calls() == callsAtEnd);
    }

    @Test
    void should_score_aggregators_and_pick_the_one_that_fuses_best() {
        // given
        TRUTH.keySet().forEach(this::register);
        register("agg-good", "aggregator");
        register("agg-poor", "aggregator");
        simulation.aggregator("agg-good", 0.9).aggregator("agg-poor", 0.3);
        List<ProfilingItem> items = simulation.items(SKILLS, 10, 13);

        // when
        ProfilingJobStatus status = runToEnd(new ProfilingRequest(items, List.copyOf(TRUTH.keySet()),
                List.of("agg-good", "agg-poor"), 8, false, 20, null));

        // then
        assertThat(status.status()).isEqualTo(ProfilingJobStatus.State.SUCCEEDED);
        ExpertProfile good = profiles.profile("agg-good").orElseThrow();
        ExpertProfile poor = profiles.profile("agg-poor").orElseThrow();
        assertThat(good.fusion().attempted()).isEqualTo(20);
        assertThat(poor.fusion().attempted()).isEqualTo(20);
        assertThat(profiles.aggregatorScore(registry.find("agg-good").orElseThrow()))
                .isGreaterThan(profiles.aggregatorScore(registry.find("agg-poor").orElseThrow()));
        assertThat(profiles.bestAggregator(registry.all())).map(Expert::id).contains("agg-good");
    }

    private static List<String> rankBy(java.util.function.ToDoubleFunction<String> score) {
        List<String> experts = new ArrayList<>(TRUTH.keySet());
        experts.sort(Comparator.comparingDouble(score).reversed());
        return experts;
    }

    /** Spearman's rank correlation of two orderings of the same names (no ties). */
    private static double spearman(List<String> a, List<String> b) {
        int n = a.size();
        double d2 = 0;
        for (String name : a) {
            double d = a.indexOf(name) - b.indexOf(name);
            d2 += d * d;
        }
        return 1 - 6 * d2 / (n * (double) (n * n - 1));
    }
}
