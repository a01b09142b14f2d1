package io.consilium.deploy;

import static io.consilium.deploy.Rendered.container;
import static io.consilium.deploy.Rendered.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image starts with a JDK AOT cache that it made itself: a training run of the service in the final
 * stage, by the JVM that runs it and on the class path it runs with, and an entrypoint that loads it. The
 * JVM skips a cache it cannot use without saying more than a warning, so these rules are checked here.
 */
class AotCacheImageTest {

    private static final Pattern CACHE_OUTPUT = Pattern.compile("-XX:AOTCacheOutput=(\\S+)");
    private static final Pattern JAR = Pattern.compile("-jar (\\S+)");
    private static final Pattern MAX_HEAP = Pattern.compile("-Xmx(\\d+)([gGmMkK]?)");

    private static Dockerfile dockerfile;
    private static List<Dockerfile.Instruction> stage;
    private static Dockerfile.Instruction training;
    private static List<String> entrypoint;

    @BeforeAll
    static void read() {
        dockerfile = Dockerfile.read();
        stage = dockerfile.finalStage();
        training = stage.stream()
                .filter(i -> i.keyword().equals("RUN") && i.arguments().contains("-XX:AOTCacheOutput="))
                .findFirst().orElseThrow(() -> new AssertionError("no RUN in the final stage makes an AOT cache"));
        entrypoint = List.of(JsonMapper.builder().build()
                .readValue(dockerfile.one("ENTRYPOINT").arguments(), String[].class));
    }

    @Test
    void should_train_the_cache_in_the_final_stage_before_dropping_root() {
        // then: the final stage is the runtime image, so the JVM that trains is the one that runs
        assertThat(stage.getFirst().arguments()).isEqualTo("${JRE_IMAGE}");
        // and the run is the service's training run, not a bare context start
        assertThat(training.arguments()).contains("--consilium.aot.training=true").doesNotContain("spring.context.exit");
        // and it runs as root, before the image switches to its user
        assertThat(stage.indexOf(training)).isLessThan(stage.indexOf(dockerfile.one("USER")));
    }

    @Test
    void should_start_with_the_cache_it_trained_on_the_class_path_it_trained_with() {
        // given
        Matcher output = CACHE_OUTPUT.matcher(training.arguments());
        Matcher trainedJar = JAR.matcher(training.arguments());
        assertThat(output.find()).isTrue();
        assertThat(trainedJar.find()).isTrue();

        // then: java, the cache, and the very jar of the training run
        assertThat(entrypoint.getFirst()).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:AOTCache=" + output.group(1));
        assertThat(entrypoint.get(entrypoint.indexOf("-jar") + 1)).isEqualTo(trainedJar.group(1)).startsWith("/");
    }

    @Test
    void should_keep_the_application_as_jars_since_the_cache_ignores_classes_from_directories() {
        // when
        String extract = dockerfile.all().stream()
                .filter(i -> i.keyword().equals("RUN") && i.arguments().contains("-Djarmode=tools"))
                .map(Dockerfile.Instruction::arguments)
                .findFirst().orElseThrow();

        // then: no Spring Boot launcher, whose class loader reads BOOT-INF/classes and BOOT-INF/lib
        assertThat(extract).contains("extract").doesNotContain("--launcher");
        assertThat(entrypoint).noneMatch(argument -> argument.contains("JarLauncher"));
    }

    @Test
    void should_leave_the_jvm_flags_replaceable() {
        // then: sizing flags stay in JAVA_TOOL_OPTIONS, which docker run -e and the chart replace
        assertThat(dockerfile.env("JAVA_TOOL_OPTIONS")).hasValueSatisfying(flags -> assertThat(flags).contains("-XX:MaxRAMPercentage="));
        assertThat(entrypoint).noneMatch(argument -> argument.startsWith("-Xm") || argument.startsWith("-XX:MaxRAM"));
    }

    @Test
    void should_train_and_run_with_compressed_pointers_so_that_the_cache_fits_both() {
        // given: a heap of 32 GiB or more turns compressed pointers off, and with them the cache
        Matcher heap = MAX_HEAP.matcher(training.arguments());

        // then: the training run's heap does not follow the build machine's memory
        assertThat(heap.find()).as("the training run sets -Xmx").isTrue();
        assertThat(bytes(heap.group(1), heap.group(2))).isLessThan(32L << 30);
        // and neither the image's nor the chart's default flags switch the cache off
        String chartFlags = env(container(Chart.render().router()), "JAVA_TOOL_OPTIONS").map(EnvVar::getValue).orElseThrow();
        for (String flags : List.of(dockerfile.env("JAVA_TOOL_OPTIONS").orElseThrow(), chartFlags)) {
            assertThat(flags).doesNotContain("UseZGC", "-UseCompressedOops", "-Xmx", "-javaagent");
        }
    }

    private static long bytes(String amount, String unit) {
        long value = Long.parseLong(amount);
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "g" -> value << 30;
            case "m" -> value << 20;
            case "k" -> value << 10;
            default -> value;
        };
    }
}
