package io.consilium.router.experts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.ConsiliumApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** A bad expert in configuration stops the start, and the message says which entry and field. */
class StartupValidationTest {

    private static ConfigurableApplicationContext start(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--server.port=0";
        all[1] = "--spring.main.web-application-type=none";
        System.arraycopy(args, 0, all, 2, args.length);
        return SpringApplication.run(ConsiliumApplication.class, all);
    }

    private static String rootMessage(Throwable failure) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void should_fail_start_up_naming_the_entry_and_field_of_a_bad_configured_expert() {
        assertThatThrownBy(() -> start(
                "--consilium.experts[0].id=broken",
                "--consilium.experts[0].provider=openai",
                "--consilium.experts[0].base-url=gopher://old.example/v1",
                "--consilium.experts[0].model=m"))
                .satisfies(e -> assertThat(rootMessage(e))
                        .contains("consilium.experts[0] (id 'broken')")
                        .contains("'base-url' must use http or https, but was 'gopher://old.example/v1'"));
    }

    @Test
    void should_load_experts_from_a_file_and_fail_on_a_bad_entry_in_it(@TempDir Path dir) throws Exception {
        // given
        Path good = dir.resolve("experts.yaml");
        Files.writeString(good, """
                - id: file-expert
                  provider: openai
                  base-url: http://127.0.0.1:9/v1
                  model: served
                  skills: [law]
                  limits: {max-concurrency: 2, timeout: 5s}
                """);
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                experts:
                  - id: fine
                    provider: mock
                  - id: oops
                    provider: mock
                    limits: {max-concurrency: 0}
                """);

        // when
        try (ConfigurableApplicationContext context = start("--consilium.experts-file=" + good)) {
            // then
            var expert = context.getBean(io.consilium.registry.ExpertRegistry.class).find("file-expert");
            assertThat(expert).hasValueSatisfying(e -> {
                assertThat(e.limits().maxConcurrency()).isEqualTo(2);
                assertThat(e.skills()).containsExactly("law");
            });
        }
        assertThatThrownBy(() -> start("--consilium.experts-file=" + bad))
                .satisfies(e -> assertThat(rootMessage(e))
                        .contains("entry [1] (id 'oops')")
                        .contains("'limits.max-concurrency' must be between 1 and 10000, but was 0"));
    }
}
