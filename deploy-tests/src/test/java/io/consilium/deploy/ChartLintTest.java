package io.consilium.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code helm lint --strict}: the chart as shipped, and a copy whose values break the schema. */
class ChartLintTest {

    @Test
    void should_pass_strict_lint_with_the_default_values() {
        // when
        LintResult result = Chart.lint(Chart.DIR);

        // then
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }

    @Test
    void should_fail_lint_when_the_values_break_the_schema(@TempDir Path copy) throws IOException {
        // given: the chart with redis.mode set to a value the schema does not allow
        copyChart(copy);
        Path values = copy.resolve("values.yaml");
        String original = Files.readString(values);
        assertThat(original).contains("  mode: none\n");
        Files.writeString(values, original.replace("  mode: none\n", "  mode: bogus\n"));

        // when
        LintResult result = Chart.lint(copy);

        // then
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("/redis/mode");
    }

    private static void copyChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(Chart.DIR)) {
            for (Path source : files.toList()) {
                Path destination = target.resolve(Chart.DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
    }
}
