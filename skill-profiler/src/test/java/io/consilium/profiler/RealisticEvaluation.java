package io.consilium.profiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scores a classifier on the realistic evaluation set (test resources {@code realistic/<skill>.jsonl},
 * never used for training or tuning): top-1 and top-3 per skill and per shape, and how well the
 * {@code uncertain} flag finds the wrong answers.
 */
record RealisticEvaluation(List<Outcome> outcomes) {

    private static final String REALISTIC = "realistic/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One item of the set: its label, its shape and the conversation. */
    record Item(String skill, String shape, JsonNode messages) {

        /** What the service classifies for this conversation. */
        String input() {
            return ConversationText.of(messages);
        }
    }

    /** How the classifier did on one item. */
    record Outcome(Item item, SkillVector vector) {

        boolean top1() {
            return vector.top().id().equals(item.skill());
        }

        boolean top3() {
            return vector.skills().stream().limit(3).anyMatch(score -> score.id().equals(item.skill()));
        }
    }

    static List<Item> items(List<String> skillIds) {
        List<Item> items = new ArrayList<>();
        for (String skill : skillIds) {
            String resource = REALISTIC + skill + ".jsonl";
            try (InputStream in = RealisticEvaluation.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing realistic set file " + resource);
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!line.isBlank()) {
                        JsonNode node = JSON.readTree(line);
                        items.add(new Item(skill, node.path("shape").asString(), node.path("messages")));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return items;
    }

    static RealisticEvaluation run(QueryClassifier classifier, List<Item> items) {
        // One by one, as the service classifies requests (a batch would quantize activations differently).
        List<Outcome> outcomes = new ArrayList<>();
        for (Item item : items) {
            outcomes.add(new Outcome(item, classifier.classify(item.input())));
        }
        return new RealisticEvaluation(outcomes);
    }

    double top1() {
        return outcomes.stream().filter(Outcome::top1).count() / (double) outcomes.size();
    }

    double top3() {
        return outcomes.stream().filter(Outcome::top3).count() / (double) outcomes.size();
    }

    /** Of the inputs flagged uncertain, the share whose top skill is wrong. */
    double uncertainPrecision() {
        long flagged = outcomes.stream().filter(o -> o.vector().uncertain()).count();
        long flaggedWrong = outcomes.stream().filter(o -> o.vector().uncertain() && !o.top1()).count();
        return flagged == 0 ? 0 : flaggedWrong / (double) flagged;
    }

    /** Of the inputs whose top skill is wrong, the share flagged uncertain. */
    double uncertainRecall() {
        long wrong = outcomes.stream().filter(o -> !o.top1()).count();
        long flaggedWrong = outcomes.stream().filter(o -> o.vector().uncertain() && !o.top1()).count();
        return wrong == 0 ? 1 : flaggedWrong / (double) wrong;
    }

    double flaggedShare() {
        return outcomes.stream().filter(o -> o.vector().uncertain()).count() / (double) outcomes.size();
    }

    String report() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("realistic set: %d items, top-1 %.1f%%, top-3 %.1f%%%n",
                outcomes.size(), 100 * top1(), 100 * top3()));
        out.append(String.format("uncertain: raised on %.1f%% of items; precision %.1f%% (flagged that are wrong),"
                + " recall %.1f%% (wrong that are flagged)%n", 100 * flaggedShare(), 100 * uncertainPrecision(),
                100 * uncertainRecall()));
        out.append(table("skill", Outcome::item, Item::skill));
        out.append(table("shape", Outcome::item, Item::shape));
        out.append("most frequent confusions (true -> predicted):\n");
        Map<String, Integer> confusions = new TreeMap<>();
        outcomes.stream().filter(o -> !o.top1())
                .forEach(o -> confusions.merge(o.item().skill() + " -> " + o.vector().top().id(), 1, Integer::sum));
        confusions.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(15)
                .forEach(e -> out.append(String.format("  %-50s %d%n", e.getKey(), e.getValue())));
        return out.toString();
    }

    private String table(String title, Function<Outcome, Item> item, Function<Item, String> key) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (Outcome outcome : outcomes) {
            int[] c = counts.computeIfAbsent(key.apply(item.apply(outcome)), k -> new int[3]);
            c[0]++;
            c[1] += outcome.top1() ? 1 : 0;
            c[2] += outcome.top3() ? 1 : 0;
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n| %s | items | top-1 | top-3 |%n|---|---:|---:|---:|%n", title));
        counts.forEach((name, c) -> out.append(String.format("| %s | %d | %.1f %% | %.1f %% |%n",
                name, c[0], 100.0 * c[1] / c[0], 100.0 * c[2] / c[0])));
        out.append('\n');
        return out.toString();
    }
}
