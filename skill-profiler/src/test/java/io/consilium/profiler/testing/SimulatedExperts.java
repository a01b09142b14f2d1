package io.consilium.profiler.testing;

import io.consilium.profiler.AnswerType;
import io.consilium.profiler.ProfilingItem;
import io.consilium.registry.testing.FakeOpenAiUpstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Experts with known per-skill accuracy behind one real OpenAI-compatible loopback server. Each expert
 * is told apart by the model name it sends. Whether an expert gets an item right is decided by a seed
 * made of expert and item, so runs are repeatable. Simulated aggregators read the numbered answers they
 * are shown and pick the right one with their own fusion accuracy, else follow the first answer.
 */
public final class SimulatedExperts implements AutoCloseable {

    private static final Pattern ITEM = Pattern.compile("\\[item ([^\\]]+)]");
    private static final Pattern SHOWN = Pattern.compile("\\[(\\d+)]\\s*\\n(.*?)(?=\\n\\[\\d+]|\\n\\nNow write|$)",
            Pattern.DOTALL);
    private static final String LETTERS = "ABCD";

    private final FakeOpenAiUpstream upstream = FakeOpenAiUpstream.start();
    private final Map<String, Map<String, Double>> accuracy = new ConcurrentHashMap<>();
    private final Map<String, Double> fusionAccuracy = new ConcurrentHashMap<>();
    private final Map<String, Double> errorRate = new ConcurrentHashMap<>();
    private final Map<String, Duration> latency = new ConcurrentHashMap<>();
    private final Map<String, Truth> truths = new ConcurrentHashMap<>();

    private record Truth(String letter, String skill) {}

    public SimulatedExperts() {
        upstream.answerWith((exchange, request, server) -> answer(request).send(exchange, request, server));
    }

    public String baseUrl() {
        return upstream.baseUrl();
    }

    public FakeOpenAiUpstream upstream() {
        return upstream;
    }

    /** Declares an expert (by the model name it sends) and its accuracy per skill. */
    public SimulatedExperts expert(String model, Map<String, Double> accuracyBySkill) {
        accuracy.put(model, Map.copyOf(accuracyBySkill));
        return this;
    }

    /** Declares an aggregator (by model name) and how often it fuses to the right answer. */
    public SimulatedExperts aggregator(String model, double rightRate) {
        fusionAccuracy.put(model, rightRate);
        return this;
    }

    /** Makes an expert fail with a 500 on this share of items, every time it is asked about them. */
    public SimulatedExperts failing(String model, double rate) {
        errorRate.put(model, rate);
        return this;
    }

    /** Makes an expert take this long per answer. */
    public SimulatedExperts slow(String model, Duration delay) {
        latency.put(model, delay);
        return this;
    }

    /** Multiple-choice items, {@code perSkill} for each skill, with seeded answer letters. */
    public List<ProfilingItem> items(List<String> skills, int perSkill, long seed) {
        Random random = new Random(seed);
        List<ProfilingItem> items = new ArrayList<>();
        for (String skill : skills) {
            for (int i = 0; i < perSkill; i++) {
                String id = skill + "-" + i;
                String letter = String.valueOf(LETTERS.charAt(random.nextInt(LETTERS.length())));
                truths.put(id, new Truth(letter, skill));
                ArrayNode messages = JsonNodeFactory.instance.arrayNode();
                messages.addObject().put("role", "user").put("content", "[item " + id + "] A question about " + skill
                        + ". Options: (A) one (B) two (C) three (D) four. Answer with a letter.");
                items.add(new ProfilingItem(id, messages, letter, AnswerType.MCQ, List.of(skill)));
            }
        }
        return items;
    }

    /**
     * A multiple-choice item built around any question text, tagged so the simulation knows its skill
     * and right letter.
     */
    public ProfilingItem item(String id, String skill, String question, long seed) {
        String letter = String.valueOf(LETTERS.charAt(new SplittableRandom(seed).nextInt(LETTERS.length())));
        truths.put(id, new Truth(letter, skill));
        ArrayNode messages = JsonNodeFactory.instance.arrayNode();
        messages.addObject().put("role", "user").put("content",
                question + " [item " + id + "] Options: (A) one (B) two (C) three (D) four. Answer with a letter.");
        return new ProfilingItem(id, messages, letter, AnswerType.MCQ, List.of(skill));
    }

    private FakeOpenAiUpstream.Reply answer(JsonNode request) {
        String model = request.path("model").asString("");
        String conversation = request.path("messages").toString();
        Matcher item = ITEM.matcher(conversation);
        if (!item.find() || !truths.containsKey(item.group(1))) {
            return FakeOpenAiUpstream.Reply.completion("I cannot help with that.");
        }
        String itemId = item.group(1);
        Truth truth = truths.get(itemId);
        // SplittableRandom mixes its seed well; java.util.Random's first draws from similar seeds correlate.
        SplittableRandom draw = new SplittableRandom((model + "|" + itemId).hashCode());
        FakeOpenAiUpstream.Reply reply;
        if (errorRate.containsKey(model) && draw.nextDouble() < errorRate.get(model)) {
            reply = FakeOpenAiUpstream.Reply.error(500, "simulated failure");
        } else if (fusionAccuracy.containsKey(model)) {
            reply = FakeOpenAiUpstream.Reply.completion(fuse(model, request, truth, draw));
        } else {
            double p = accuracy.getOrDefault(model, Map.of()).getOrDefault(truth.skill(), 0.0);
            String letter = draw.nextDouble() < p ? truth.letter() : wrongLetter(truth.letter(), draw);
            reply = FakeOpenAiUpstream.Reply.completion("After thinking it through, the answer is (" + letter + ").");
        }
        Duration delay = latency.get(model);
        return delay == null ? reply : FakeOpenAiUpstream.Reply.delayed(delay, reply);
    }

    /** Right with the aggregator's fusion accuracy; otherwise it repeats whatever answer [1] said. */
    private String fuse(String model, JsonNode request, Truth truth, SplittableRandom draw) {
        JsonNode messages = request.path("messages");
        String last = messages.get(messages.size() - 1).path("content").asString("");
        Map<Integer, String> shown = new HashMap<>();
        Matcher matcher = SHOWN.matcher(last);
        while (matcher.find()) {
            shown.put(Integer.parseInt(matcher.group(1)), matcher.group(2).strip());
        }
        if (draw.nextDouble() < fusionAccuracy.get(model)) {
            return "Having compared the answers, the correct one is (" + truth.letter() + ").";
        }
        return shown.getOrDefault(1, "the answer is (" + wrongLetter(truth.letter(), draw) + ")");
    }

    private static String wrongLetter(String right, SplittableRandom draw) {
        String others = LETTERS.replace(right, "");
        return String.valueOf(others.charAt(draw.nextInt(others.length())));
    }

    @Override
    public void close() {
        upstream.close();
    }
}
