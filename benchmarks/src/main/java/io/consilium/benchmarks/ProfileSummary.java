package io.consilium.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.jspecify.annotations.Nullable;

/**
 * Where a JFR recording spent its CPU: {@code jdk.ExecutionSample} stacks grouped by area, the hottest
 * methods, and allocation by area from {@code jdk.ObjectAllocationSample}.
 *
 * <p>Attribution rule: a sample belongs to the area of the first frame, from the top of the stack, that is
 * not JDK core ({@code java.*}, {@code javax.*}, {@code jdk.*}, {@code sun.*}, {@code com.sun.*}); the JDK
 * HTTP client ({@code jdk.internal.net.http}) counts as an area of its own, not as core. So a
 * {@code HashMap.get} called by Jackson is Jackson's, and a socket write made by Tomcat is Tomcat's: the
 * area is the code that asked for the work. A stack of JDK core frames only (the virtual-thread scheduler,
 * the selector loops) is "JDK only". The inclusive share counts a sample for every area anywhere in its stack.
 *
 * <p>Run on any recording: {@code java -cp benchmarks/target/benchmarks.jar io.consilium.benchmarks.ProfileSummary
 * recording.jfr}
 */
final class ProfileSummary {

    private static final String JDK_ONLY = "JDK only";
    private static final String[][] AREAS = {
            {"jdk.internal.net.http.", "JDK HttpClient"},
            {"org.apache.", "Tomcat / servlet"},
            {"jakarta.servlet.", "Tomcat / servlet"},
            {"org.springframework.security.", "Spring Security"},
            {"org.springframework.", "Spring (other)"},
            {"tools.jackson.", "Jackson"},
            {"com.fasterxml.jackson.", "Jackson"},
            {"io.github.resilience4j.", "Resilience4j"},
            {"io.micrometer.", "Micrometer"},
            {"io.consilium.", "Consilium"},
            {"ch.qos.logback.", "Logging"},
            {"org.slf4j.", "Logging"},
            {"reactor.", "Reactor"},
            {"io.netty.", "Netty"}};
    private static final String[] JDK_CORE = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final int TOP = 25;

    private final Map<String, Long> selfByArea = new HashMap<>();
    private final Map<String, Long> inclusiveByArea = new HashMap<>();
    private final Map<String, Long> allocationByArea = new HashMap<>();
    private final Map<String, Long> leafMethods = new HashMap<>();
    private final Map<String, Long> attributedMethods = new HashMap<>();
    private final Map<String, Long> consiliumInclusive = new HashMap<>();
    private final Map<String, Long> allocationByMethod = new HashMap<>();
    private final Map<String, Long> allocationSamplesByMethod = new HashMap<>();
    private final Map<Long, Long> heapBeforeGc = new TreeMap<>();
    private final Map<Long, Long> heapAfterGc = new TreeMap<>();
    private final long requests;
    private long samples;
    private long allocated;
    private long collections;
    private Duration pauses = Duration.ZERO;
    private double cpuJvm;
    private double cpuMachine;
    private long cpuReadings;

    private ProfileSummary(long requests) {
        this.requests = requests;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("ProfileSummary: give one recording, as in ProfileSummary benchmarks/target/direct-path.jfr");
            System.exit(2);
        }
        System.out.printf("## Profile of %s%n%n%s", args[0], of(Path.of(args[0]), 0));
    }

    /**
     * The summary of {@code recording} as Markdown paragraphs and tables, for the caller to put under a heading.
     *
     * @param requests how many requests were answered during the recording, to put allocation per request; 0 if unknown
     */
    static String of(Path recording, long requests) throws IOException {
        ProfileSummary summary = new ProfileSummary(requests);
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                summary.add(file.readEvent());
            }
        }
        return summary.markdown();
    }

    private void add(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> sample(event.getStackTrace());
            case "jdk.ObjectAllocationSample" -> {
                long weight = event.getLong("weight");
                allocated += weight;
                Attribution attribution = attribute(event.getStackTrace());
                allocationByArea.merge(attribution.area, weight, Long::sum);
                String method = attribution.method == null ? JDK_ONLY : attribution.method;
                allocationByMethod.merge(method, weight, Long::sum);
                allocationSamplesByMethod.merge(method, 1L, Long::sum);
            }
            case "jdk.GarbageCollection" -> {
                collections++;
                pauses = pauses.plus(event.getDuration("sumOfPauses"));
            }
            case "jdk.GCHeapSummary" -> (event.getString("when").startsWith("Before") ? heapBeforeGc : heapAfterGc)
                    .put(event.getLong("gcId"), event.getLong("heapUsed"));
            case "jdk.CPULoad" -> {
                cpuJvm += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                cpuMachine += event.getFloat("machineTotal");
                cpuReadings++;
            }
            default -> { }
        }
    }

    private void sample(@Nullable RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        leafMethods.merge(method(frames.getFirst()), 1L, Long::sum);
        Attribution attribution = attribute(stack);
        selfByArea.merge(attribution.area, 1L, Long::sum);
        if (attribution.method != null) {
            attributedMethods.merge(attribution.method, 1L, Long::sum);
        }
        Set<String> areas = new LinkedHashSet<>();
        Set<String> consiliumMethods = new LinkedHashSet<>();
        for (RecordedFrame frame : frames) {
            String area = area(className(frame));
            areas.add(area == null ? JDK_ONLY : area);
            if ("Consilium".equals(area)) {
                consiliumMethods.add(method(frame));
            }
        }
        areas.forEach(area -> inclusiveByArea.merge(area, 1L, Long::sum));
        consiliumMethods.forEach(method -> consiliumInclusive.merge(method, 1L, Long::sum));
    }

    private static Attribution attribute(@Nullable RecordedStackTrace stack) {
        if (stack != null) {
            for (RecordedFrame frame : stack.getFrames()) {
                String area = area(className(frame));
                if (area != null) {
                    return new Attribution(area, method(frame));
                }
            }
        }
        return new Attribution(JDK_ONLY, null);
    }

    /** The area of a class, or null for JDK core. */
    private static @Nullable String area(String className) {
        for (String[] area : AREAS) {
            if (className.startsWith(area[0])) {
                return area[1];
            }
        }
        for (String core : JDK_CORE) {
            if (className.startsWith(core)) {
                return null;
            }
        }
        String[] parts = className.split("\\.");
        return parts.length > 3 ? parts[0] + "." + parts[1] + "." + parts[2] : className;
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
    }

    private static String method(RecordedFrame frame) {
        if (frame.getMethod() == null) {
            return "(unknown)";
        }
        // Hidden classes carry an address that differs from run to run.
        return className(frame).replaceAll("[./]0x[0-9a-f]+", "") + "." + frame.getMethod().getName();
    }

    private String markdown() {
        StringBuilder out = new StringBuilder();
        long grown = heapGrowthBetweenCollections();
        line(out, "%,d execution samples; %s allocated (heap growth between collections)%s; %d collections, "
                        + "%d ms of pauses in all; CPU %.0f %% for the service and %.0f %% for the whole machine on average.%n%n",
                samples, bytes(grown),
                requests == 0 ? "" : String.format(Locale.ROOT, ", %.0f KiB per request", grown / 1024.0 / requests),
                collections, pauses.toMillis(), cpuReadings == 0 ? 0 : 100 * cpuJvm / cpuReadings,
                cpuReadings == 0 ? 0 : 100 * cpuMachine / cpuReadings);
        line(out, "| area | samples (first non-JDK-core frame from the top) | anywhere in the stack | allocation |%n"
                + "|---|---:|---:|---:|%n");
        for (Map.Entry<String, Long> area : sorted(selfByArea, selfByArea.size())) {
            // Nearly every stack has some JDK frame, so an inclusive share for "JDK only" would say nothing.
            line(out, "| %s | %.1f %% | %s | %.1f %% |%n", area.getKey(), percent(area.getValue(), samples),
                    area.getKey().equals(JDK_ONLY) ? "–"
                            : String.format(Locale.ROOT, "%.1f %%", percent(inclusiveByArea.getOrDefault(area.getKey(), 0L), samples)),
                    percent(allocationByArea.getOrDefault(area.getKey(), 0L), allocated));
        }
        table(out, "Hottest methods (top frame of each sample)", leafMethods, true);
        table(out, "Hottest attributed frames (the frame each sample is attributed by)", attributedMethods, false);
        table(out, "Consilium methods by inclusive share (anywhere in the stack)", consiliumInclusive, false);
        // A sample weighs what its thread allocated since its previous sample, so a site sampled rarely can
        // carry a large weight: the sample count says how far to trust a row.
        line(out, "%nMost allocating attributed frames (allocation samples' weight):%n%n| # | method | allocation | samples |%n"
                + "|---:|---|---:|---:|%n");
        int rank = 0;
        for (Map.Entry<String, Long> entry : sorted(allocationByMethod, 15)) {
            line(out, "| %d | `%s` | %.1f %% | %d |%n", ++rank, entry.getKey(), percent(entry.getValue(), allocated),
                    allocationSamplesByMethod.get(entry.getKey()));
        }
        return out.toString();
    }

    private void table(StringBuilder out, String title, Map<String, Long> counts, boolean withArea) {
        line(out, "%n%s:%n%n| # | method | samples |%s%n|---:|---|---:|%s%n", title, withArea ? " area |" : "",
                withArea ? "---|" : "");
        int rank = 0;
        for (Map.Entry<String, Long> entry : sorted(counts, TOP)) {
            String area = area(entry.getKey());
            line(out, "| %d | `%s` | %.1f %% |%s%n", ++rank, entry.getKey(), percent(entry.getValue(), samples),
                    withArea ? " " + (area == null ? "JDK core" : area) + " |" : "");
        }
    }

    /** What was allocated between consecutive collections: each one's heap before, less the previous one's after. */
    private long heapGrowthBetweenCollections() {
        long grown = 0;
        Long previousAfter = null;
        for (Map.Entry<Long, Long> before : heapBeforeGc.entrySet()) {
            if (previousAfter != null) {
                grown += Math.max(0, before.getValue() - previousAfter);
            }
            previousAfter = heapAfterGc.get(before.getKey());
        }
        return grown;
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> counts, int limit) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit).toList();
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static void line(StringBuilder out, String format, Object... values) {
        out.append(String.format(Locale.ROOT, format, values));
    }

    private record Attribution(String area, @Nullable String method) {}
}
