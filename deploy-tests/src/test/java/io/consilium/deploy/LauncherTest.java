package io.consilium.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./consilium}, the README's run command, on a copy of the repository layout with fake JDKs: each fake
 * {@code java} writes its arguments to a log and plays its part (the version, the jar's extraction, the
 * training run's cache), so that what the script asks of the JVM is checked in milliseconds.
 */
class LauncherTest {

    @TempDir
    Path dir;

    private Path repo;
    private Path jar;
    private Path app;
    private Path javaLog;
    private Path noJdks;

    @BeforeEach
    void copyTheLauncher() throws IOException {
        repo = Files.createDirectories(dir.resolve("repo"));
        Path launcher = Files.copy(Dockerfile.ROOT.resolve("consilium"), repo.resolve("consilium"));
        Path finder = Files.copy(Dockerfile.ROOT.resolve("scripts/find-jdk25"),
                Files.createDirectories(repo.resolve("scripts")).resolve("find-jdk25"));
        for (Path script : List.of(launcher, finder)) {
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        jar = Files.createDirectories(repo.resolve("router-service/target")).resolve("consilium-exec.jar");
        Files.writeString(jar, "a built jar");
        app = repo.resolve("router-service/target/app");
        javaLog = dir.resolve("java.log");
        noJdks = Files.createDirectories(dir.resolve("no-jdks"));
    }

    @Test
    void should_refuse_a_java_home_other_than_25_in_one_line_when_no_jdk_25_is_found() throws Exception {
        // given
        Path jdk17 = fakeJdk("jdk-17", "17.0.12", 0);

        // when
        Result result = launch(Map.of("JAVA_HOME", jdk17.toString(), "JDK_SEARCH_DIRS", noJdks.toString()));

        // then
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.stderr().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("consilium: no JDK 25")
                .contains("JAVA_HOME=" + jdk17)
                .contains("install one"));
        assertThat(result.stdout()).isEmpty();
        assertThat(javaCalls()).allMatch(call -> call.equals("-version"));
    }

    @Test
    void should_find_a_jdk_25_by_itself_when_java_home_is_unset() throws Exception {
        // given: as on a fresh machine, no JAVA_HOME, a JDK 17 and a JDK 25 installed side by side
        Path jdks = Files.createDirectories(dir.resolve("jvm"));
        fakeJdk("jvm/java-17-openjdk-amd64", "17.0.12", 0);
        Path jdk25 = fakeJdk("jvm/temurin-25-jdk-amd64", "25.0.3", 0);

        // when
        Result result = launch(Map.of("JDK_SEARCH_DIRS", jdks.toString()));

        // then
        assertThat(result.status()).as(result.stderr()).isZero();
        assertThat(javaCalls()).last().isEqualTo(
                "-XX:AOTCache=" + app + "/consilium.aot -jar " + app + "/consilium-exec.jar [store=]");
        assertThat(Files.readString(app.resolve("consilium.aot.jdk"))).startsWith(jdk25.toString());
    }

    @Test
    void should_train_once_then_start_with_the_cache_and_pass_the_arguments_on() throws Exception {
        // given
        Path jdk25 = fakeJdk("jdk-25", "25.0.3", 0);
        Map<String, String> env = Map.of("JAVA_HOME", jdk25.toString(), "JDK_SEARCH_DIRS", noJdks.toString(),
                "CONSILIUM_STORE", "redis");

        // when: the first start
        Result first = launch(env, "--server.port=9090");

        // then: extracted, trained in a clean environment on the extracted jar, started with the cache
        assertThat(first.status()).as(first.stderr()).isZero();
        assertThat(javaCalls()).filteredOn(call -> !call.equals("-version")).containsExactly(
                "-Djarmode=tools -jar " + jar + " extract --destination " + app + ".tmp [store=redis]",
                "-XX:AOTCacheOutput=" + app + "/consilium.aot.tmp -jar " + app + "/consilium-exec.jar"
                        + " --consilium.aot.training=true --server.port=0 [store=]",
                "-XX:AOTCache=" + app + "/consilium.aot -jar " + app + "/consilium-exec.jar --server.port=9090 [store=redis]");
        assertThat(first.stderr()).contains("a training run makes the AOT cache " + app + "/consilium.aot");
        assertThat(app.resolve("consilium.aot")).exists();

        // when: the second start
        Files.delete(javaLog);
        Result second = launch(env, "--server.port=9091");

        // then: no training, the same cache
        assertThat(second.status()).isZero();
        assertThat(second.stderr()).isEmpty();
        assertThat(javaCalls()).filteredOn(call -> !call.equals("-version")).containsExactly(
                "-XX:AOTCache=" + app + "/consilium.aot -jar " + app + "/consilium-exec.jar --server.port=9091 [store=redis]");
    }

    @Test
    void should_train_again_for_a_new_jar_or_another_jdk() throws Exception {
        // given: a cache made by one JDK
        Path jdk25 = fakeJdk("jdk-25", "25.0.3", 0);
        assertThat(launch(Map.of("JAVA_HOME", jdk25.toString())).status()).isZero();

        // when: the jar is rebuilt
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        Files.delete(javaLog);
        launch(Map.of("JAVA_HOME", jdk25.toString()));

        // then
        assertThat(javaCalls()).anyMatch(call -> call.startsWith("-XX:AOTCacheOutput="));

        // when: another JDK 25 build, found in the search directories since JAVA_HOME is not a JDK 25
        Path jdks = Files.createDirectories(dir.resolve("jdks"));
        Path other = fakeJdk("jdks/temurin-25.0.4", "25.0.4", 0);
        Files.delete(javaLog);
        Result result = launch(Map.of("JAVA_HOME", fakeJdk("jdk-21", "21.0.5", 0).toString(), "JDK_SEARCH_DIRS", jdks.toString()));

        // then
        assertThat(result.status()).isZero();
        assertThat(javaCalls()).filteredOn(call -> !call.equals("-version")).first().asString().startsWith("-Djarmode=tools");
        assertThat(Files.readString(app.resolve("consilium.aot.jdk"))).contains(other.toString());
    }

    @Test
    void should_not_start_and_should_name_the_log_when_the_training_run_fails() throws Exception {
        // given: a JVM whose training run exits with status 1
        Path jdk25 = fakeJdk("jdk-25", "25.0.3", 1);

        // when
        Result result = launch(Map.of("JAVA_HOME", jdk25.toString()));

        // then
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.stderr()).contains("the training run failed, see " + app + "/training.log");
        assertThat(app.resolve("consilium.aot")).doesNotExist();
        assertThat(app.resolve("consilium.aot.tmp")).doesNotExist();
        assertThat(javaCalls()).noneMatch(call -> call.startsWith("-XX:AOTCache="));
    }

    private record Result(int status, String stdout, String stderr) {}

    private Result launch(Map<String, String> env, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(repo.resolve("consilium").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("JAVA") || name.startsWith("JDK") || name.startsWith("CONSILIUM"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    private List<String> javaCalls() throws IOException {
        return Files.exists(javaLog) ? Files.readAllLines(javaLog) : List.of();
    }

    /**
     * A JDK whose {@code java} reports the given version, logs each call (with the store the environment
     * asks for, to see what reaches the training run), extracts a jar, writes the cache a training run asks
     * for and exits with {@code trainingStatus} from one.
     */
    private Path fakeJdk(String name, String version, int trainingStatus) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Path java = Files.writeString(home.resolve("bin/java"), """
                #!/usr/bin/env bash
                if [ "$1" = -version ]; then
                  echo '-version' >> '%s'
                  echo 'openjdk version "%s" 2025-10-21 LTS' >&2
                  exit 0
                fi
                echo "$* [store=${CONSILIUM_STORE:-}]" >> '%s'
                previous=
                for argument in "$@"; do
                  case "$argument" in
                    -XX:AOTCacheOutput=*) echo cache > "${argument#*=}"; exit %d ;;
                  esac
                  if [ "$previous" = --destination ]; then mkdir -p "$argument" && echo jar > "$argument/consilium-exec.jar"; fi
                  previous="$argument"
                done
                """.formatted(javaLog, version, javaLog, trainingStatus));
        Path javac = Files.writeString(home.resolve("bin/javac"), "#!/usr/bin/env bash\n");
        for (Path tool : List.of(java, javac)) {
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), "JAVA_RUNTIME_VERSION=\"" + version + "+9-LTS\"\n");
        return home;
    }
}
