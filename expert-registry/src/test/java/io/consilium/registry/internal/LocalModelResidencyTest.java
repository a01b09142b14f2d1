package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.Expert;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.LocalModelException;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.testing.TinyDecoderModels;
import io.consilium.registry.testing.TinyDecoderModels.Spec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** The memory budget, LRU eviction and leases, over real model loads. */
class LocalModelResidencyTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private LocalModelResidency residency;
    private Expert a;
    private Expert b;
    private Expert c;
    private long modelBytes;

    @BeforeEach
    void writeThreeModels() throws Exception {
        a = expert("a", TinyDecoderModels.write(dir.resolve("a"), Spec.withKvCache(1)).directory());
        b = expert("b", TinyDecoderModels.write(dir.resolve("b"), Spec.withKvCache(2)).directory());
        c = expert("c", TinyDecoderModels.write(dir.resolve("c"), Spec.withoutKvCache(3)).directory());
        modelBytes = Files.size(dir.resolve("a/model.onnx"));
        assertThat(Files.size(dir.resolve("c/model.onnx"))).isLessThanOrEqualTo(modelBytes);
        // room for two models, not three
        residency = residency(modelBytes * 5 / 2);
    }

    @AfterEach
    void close() {
        residency.close();
        threads.shutdownNow();
    }

    private LocalModelResidency residency(long budget) {
        return new LocalModelResidency(LocalModelSettings.custom().memoryBudgetBytes(budget).intraOpThreads(1).build(),
                meters, JsonMapper.builder().build());
    }

    private static Expert expert(String id, Path modelPath) {
        return Expert.builder(id).provider(Provider.ONNX).modelPath(modelPath.toString()).build();
    }

    private double loads(String expert) {
        var counter = meters.find(LocalModelResidency.LOADS).tag("expert", expert).counter();
        return counter == null ? 0 : counter.count();
    }

    private double evictions(String expert) {
        var counter = meters.find(LocalModelResidency.EVICTIONS).tag("expert", expert).counter();
        return counter == null ? 0 : counter.count();
    }

    private void use(Expert expert) {
        try (LocalModelResidency.Lease lease = residency.acquire(expert)) {
            assertThat(lease.model().session()).isNotNull();
        }
    }

    @Test
    void should_load_a_model_once_and_share_it_between_uses() {
        // when
        use(a);
        use(a);
        Expert promptExpert = expert("a-prompt", Path.of(a.modelPath()));
        use(promptExpert);

        // then
        assertThat(loads("a")).isEqualTo(1);
        assertThat(loads("a-prompt")).isZero();
        assertThat(residency.residentModels()).containsExactly(dir.resolve("a").toAbsolutePath().normalize());
        assertThat(residency.residentBytes()).isEqualTo(modelBytes);
        assertThat(meters.get(LocalModelResidency.RESIDENT_BYTES).gauge().value()).isEqualTo(modelBytes);
    }

    @Test
    void should_evict_the_least_recently_used_model_when_a_third_would_exceed_the_budget() {
        // given
        use(a);
        use(b);
        use(a); // b is now the least recently used

        // when
        use(c);

        // then
        assertThat(residency.residentModels()).containsExactly(
                dir.resolve("a").toAbsolutePath().normalize(), dir.resolve("c").toAbsolutePath().normalize());
        assertThat(loads("a")).isEqualTo(1);
        assertThat(loads("b")).isEqualTo(1);
        assertThat(loads("c")).isEqualTo(1);
        assertThat(evictions("b")).isEqualTo(1);
        assertThat(evictions("a")).isZero();
        assertThat(residency.residentBytes()).isLessThanOrEqualTo(modelBytes * 5 / 2);

        // when b comes back, it is loaded again and the least recently used (a) makes room
        use(b);

        // then
        assertThat(loads("b")).isEqualTo(2);
        assertThat(evictions("a")).isEqualTo(1);
    }

    @Test
    void should_not_evict_a_model_in_use_even_when_it_is_the_least_recently_used() {
        // given: a is in use and older than b
        try (LocalModelResidency.Lease inUse = residency.acquire(a)) {
            use(b);

            // when
            use(c);

            // then
            assertThat(evictions("a")).isZero();
            assertThat(evictions("b")).isEqualTo(1);
            assertThat(inUse.model().session()).isNotNull();
            assertThat(residency.residentModels()).contains(dir.resolve("a").toAbsolutePath().normalize());
        }
    }

    @Test
    void should_wait_for_a_lease_to_close_when_the_models_in_use_leave_no_room() throws Exception {
        // given: both slots in use
        LocalModelResidency.Lease leaseA = residency.acquire(a);
        LocalModelResidency.Lease leaseB = residency.acquire(b);

        // when
        CompletableFuture<Void> loadingC = CompletableFuture.runAsync(() -> use(c), threads);

        // then
        TimeUnit.MILLISECONDS.sleep(300);
        assertThat(loadingC).isNotDone();
        assertThat(evictions("a") + evictions("b")).isZero();

        // when b is given back
        leaseB.close();

        // then
        loadingC.get(10, TimeUnit.SECONDS);
        assertThat(evictions("b")).isEqualTo(1);
        assertThat(evictions("a")).isZero();
        leaseA.close();
    }

    @Test
    void should_give_up_waiting_when_the_caller_is_interrupted() {
        // given
        LocalModelResidency.Lease leaseA = residency.acquire(a);
        LocalModelResidency.Lease leaseB = residency.acquire(b);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                use(c);
                failure.complete(null);
            } catch (RuntimeException e) {
                failure.complete(e);
            }
        });

        // when
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
        waiting.interrupt();

        // then
        assertThat(failure).succeedsWithin(Duration.ofSeconds(5))
                .isInstanceOf(ExpertTimeoutException.class);
        leaseA.close();
        leaseB.close();
    }

    @Test
    void should_load_a_model_once_when_two_callers_ask_at_the_same_time() throws Exception {
        // when
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> use(a), threads);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> use(a), threads);
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);

        // then
        assertThat(loads("a")).isEqualTo(1);
    }

    @Test
    void should_refuse_a_model_larger_than_the_whole_budget() {
        // given
        residency.close();
        residency = residency(modelBytes / 2);

        // when / then
        assertThatThrownBy(() -> use(a))
                .isInstanceOf(LocalModelException.class)
                .hasMessageContaining("more than the whole local model memory budget of " + modelBytes / 2);
        assertThat(residency.residentBytes()).isZero();
    }

    @Test
    void should_fail_the_call_and_release_the_budget_when_the_files_have_gone_bad() throws Exception {
        // given
        Files.write(dir.resolve("a/model.onnx"), new byte[] {1, 2, 3});

        // when / then
        assertThatThrownBy(() -> use(a))
                .isInstanceOf(LocalModelException.class)
                .hasMessageContaining("model.onnx cannot be read");
        assertThat(residency.residentBytes()).isZero();
        assertThat(loads("a")).isZero();
    }
}
