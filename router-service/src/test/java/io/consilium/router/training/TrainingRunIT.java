package io.consilium.router.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.ConsiliumApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;

/**
 * The training run of the AOT cache as the image build and {@code ./consilium} start it: a service process of
 * its own, on the embedded defaults, that sends itself every kind of request once ready and exits with their
 * outcome as its status.
 */
class TrainingRunIT {

    private static final String TRAINING = "--consilium.aot.training=true";

    @TempDir
    Path dir;

    @Test
    void should_exercise_every_kind_of_request_and_exit_with_status_0() throws Exception {
        // when
        Finished run = start(TRAINING, "--server.port=0");

        // then
        assertThat(run.status()).as(run.output()).isZero();
        assertThat(run.output())
                .contains("× make an API key (POST /admin/api/keys → 201)")
                .contains("× register an OpenAI-compatible expert (POST /admin/api/experts → 201)")
                .contains("100 × list models without a key (GET /v1/models → 401)")
                .contains("100 × list models (GET /v1/models → 200)")
                .contains("100 × ask the mock expert (POST /v1/chat/completions → 200)")
                .contains("100 × stream from the mock expert (POST /v1/chat/completions → 200)")
                .contains("100 × ask aot-training-relay (POST /v1/chat/completions → 200)")
                .contains("100 × stream from aot-training-relay (POST /v1/chat/completions → 200)")
                .contains("100 × ask consilium/route (POST /v1/chat/completions → 200)")
                .contains("100 × stream from consilium/route (POST /v1/chat/completions → 200)")
                .contains("100 × ask consilium/auto (POST /v1/chat/completions → 200)")
                .contains("100 × stream from consilium/auto (POST /v1/chat/completions → 200)")
                .contains("100 × send a request without messages (POST /v1/chat/completions → 400)")
                .contains("100 × probe readiness (GET /actuator/health/readiness → 200)")
                .contains("100 × scrape metrics (GET /actuator/prometheus → 200)")
                .contains("Training run finished: 1402 requests")
                .contains("every one as expected");
        // and the throw-away admin key it used was never printed
        assertThat(run.output()).doesNotContain("Generated admin key");
    }

    @Test
    void should_exit_with_status_1_when_a_request_does_not_get_what_it_should() throws Exception {
        // given: /v1 open to anyone, so that the request without a key is answered instead of refused
        Finished run = start(TRAINING, "--server.port=0", "--consilium.auth.anonymous=true");

        // then
        assertThat(run.status()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("list models without a key (GET /v1/models → 401): status 200")
                .contains("Training run failed:");
    }

    @Test
    void should_refuse_to_train_on_a_shared_store() {
        // when / then: refused before any bean, so before anything is written to Redis
        assertThatThrownBy(() -> SpringApplication.run(ConsiliumApplication.class,
                        TRAINING, "--server.port=0", "--consilium.store=redis").close())
                .hasStackTraceContaining("consilium.aot.training needs consilium.store=memory, but was 'redis'");
    }

    private record Finished(int status, String output) {}

    /**
     * Runs the service in a JVM of its own, on this test's class path, and waits for it to end. The tests'
     * logging configuration shows warnings only; the run's report is at INFO.
     */
    private Finished start(String... arguments) throws IOException, InterruptedException {
        Path log = dir.resolve("service.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ConsiliumApplication.class.getName(),
                "--logging.level." + TrainingRun.class.getName() + "=INFO"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the training run ends by itself").isTrue();
            return new Finished(process.exitValue(), Files.readString(log));
        } finally {
            process.destroyForcibly();
        }
    }
}
