package io.consilium.profiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores a classifier on the held-out queries (test resources, never used for training): top-1 and
 * top-3 accuracy, per-skill accuracy and the most frequent confusions.
 */
record HeldOutEvaluation(int total, int top1Hits, int top3Hits, Map<String, int[]> perSkill,
        Map<String, Integer> confusions) {

    static HeldOutEvaluation run(QueryClassifier classifier, List<String> skillIds) {
        int total = 0;
        int top1 = 0;
        int top3 = 0;
        Map<String, int[]> perSkill = new TreeMap<>();
        Map<String, Integer> confusions = new TreeMap<>();
        for (String skill : skillIds) {
            int[] counts = perSkill.computeIfAbsent(skill, s -> new int[2]);
            for (String query : queries(skill)) {
                List<SkillScore> ranked = classifier.classify(query).skills();
                total++;
                counts[1]++;
                if (ranked.getFirst().id().equals(skill)) {
                    top1++;
                    counts[0]++;
                } else {
                    confusions.merge(skill + " -> " + ranked.getFirst().id(), 1, Integer::sum);
                }
                if (ranked.stream().limit(3).anyMatch(score -> score.id().equals(skill))) {
                    top3++;
                }
            }
        }
        return new HeldOutEvaluation(total, top1, top3, perSkill, confusions);
    }

    double top1() {
        return (double) top1Hits / total;
    }

    double top3() {
        return (double) top3Hits / total;
    }

    String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("held-out: %d queries, top-1 %.1f%%, top-3 %.1f%%%n", total, 100 * top1(), 100 * top3()));
        perSkill.forEach((skill, counts) -> {
            if (counts[0] < counts[1]) {
                out.append(String.format("  %-24s %d/%d%n", skill, counts[0], counts[1]));
            }
        });
        out.append("most frequent confusions (true -> predicted):\n");
        confusions.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(12)
                .forEach(e -> out.append(String.format("  %-50s %d%n", e.getKey(), e.getValue())));
        return out.toString();
    }

    static List<String> queries(String skill) {
        String resource = "heldout/" + skill + ".txt";
        try (InputStream in = HeldOutEvaluation.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing held-out file " + resource);
            }
            List<String> lines = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
