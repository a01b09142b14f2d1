package io.consilium.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@link GatewayComparison} runs, from {@code --name=value} arguments.
 *
 * @param consilium the Consilium builds to compare, each a label and the JVM flags it starts with
 */
record ComparisonOptions(Duration warmup, Duration run, int rounds, int coldRuns, Duration coldLoad, Path jar,
        List<Variant> consilium, boolean steady, boolean cold) {

    static final String USAGE = "options: --warmup=24 (seconds per gateway) --seconds=10 (per measured run) --rounds=3 "
            + "--cold-runs=3 --cold-seconds=8 --jar=router-service/target/consilium-exec.jar "
            + "--consilium=LABEL[@JAR][=JVM FLAGS] (repeatable) --only=steady|cold";

    ComparisonOptions {
        consilium = List.copyOf(consilium);
        List<String> labels = consilium.stream().map(Variant::label).toList();
        if (labels.contains("portkey") || labels.contains("upstream alone") || labels.stream().distinct().count() < labels.size()) {
            throw new IllegalArgumentException("--consilium labels must differ from each other and from 'portkey', but were "
                    + labels);
        }
    }

    /**
     * One way of starting Consilium: a label for the tables, the JVM flags (split on spaces), and its own jar
     * when two builds are compared in one run (null: the run's {@code --jar}).
     */
    record Variant(String label, List<String> jvmFlags, @Nullable Path jar) {

        Variant {
            jvmFlags = List.copyOf(jvmFlags);
        }

        static Variant parse(String value) {
            int equals = value.indexOf('=');
            String name = equals < 0 ? value : value.substring(0, equals);
            int at = name.indexOf('@');
            String label = at < 0 ? name : name.substring(0, at);
            if (label.isBlank()) {
                throw new IllegalArgumentException("--consilium needs a label, as in --consilium=aot=-XX:AOTCache=app.aot, "
                        + "but was '" + value + "'");
            }
            String flags = equals < 0 ? "" : value.substring(equals + 1).strip();
            return new Variant(label, flags.isEmpty() ? List.of() : Arrays.asList(flags.split("\\s+")),
                    at < 0 ? null : Path.of(name.substring(at + 1)));
        }

        Path jarOr(Path runJar) {
            return jar == null ? runJar : jar;
        }
    }

    static ComparisonOptions parse(String... args) {
        Duration warmup = Duration.ofSeconds(24);
        Duration run = Duration.ofSeconds(10);
        int rounds = 3;
        int coldRuns = 3;
        Duration coldLoad = Duration.ofSeconds(8);
        Path jar = Path.of("router-service", "target", "consilium-exec.jar");
        List<Variant> consilium = new ArrayList<>();
        boolean steady = true;
        boolean cold = true;
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("'" + arg + "' is not --name=value; " + USAGE);
            }
            String value = arg.substring(equals + 1);
            switch (arg.substring(2, equals)) {
                case "warmup" -> warmup = Duration.ofSeconds(positive("warmup", value));
                case "seconds" -> run = Duration.ofSeconds(positive("seconds", value));
                case "rounds" -> rounds = positive("rounds", value);
                case "cold-runs" -> coldRuns = positive("cold-runs", value);
                case "cold-seconds" -> coldLoad = Duration.ofSeconds(positive("cold-seconds", value));
                case "jar" -> jar = Path.of(value);
                case "consilium" -> consilium.add(Variant.parse(value));
                case "only" -> {
                    steady = value.equals("steady");
                    cold = value.equals("cold");
                    if (!steady && !cold) {
                        throw new IllegalArgumentException("--only must be steady or cold, but was '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
            }
        }
        if (consilium.isEmpty()) {
            consilium.add(new Variant("consilium", List.of(), null));
        }
        return new ComparisonOptions(warmup, run, rounds, coldRuns, coldLoad, jar, consilium, steady, cold);
    }

    private static int positive(String name, String value) {
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, but was '" + value + "'");
        }
        if (number < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, but was " + number);
        }
        return number;
    }
}
