package io.consilium.profiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the files of the realistic evaluation set ({@code realistic/<skill-id>.jsonl}): every skill is
 * covered, every line is a well-formed conversation of a known shape that ends with the user, no input
 * repeats, and no item is one of the classifier's training exemplars.
 */
class RealisticSetShapeTest {

    private static final String BASE = "/io/consilium/profiler/";
    private static final String REALISTIC = BASE + "realistic/";
    private static final Set<String> SHAPES =
            Set.of("exam", "long_task", "chat", "code", "latex", "non_english", "short");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    private static final int MIN_ITEMS_PER_SKILL = 20;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One line of a set file. */
    private record Item(String skill, int line, String shape, List<Message> messages) {

        String where() {
            return skill + ".jsonl:" + line;
        }

        String lastUserTurn() {
            return messages.getLast().content();
        }

        /** The whole conversation, the way a router would receive it. */
        String input() {
            return messages.stream().map(m -> m.role() + ": " + m.content()).collect(Collectors.joining("\n"));
        }
    }

    private record Message(String role, String content) {}

    private static List<String> skillIds;
    private static Map<String, List<Item>> items;
    private static List<String> malformed;

    @BeforeAll
    static void readTheSet() {
        skillIds = readLines(BASE + "default-skills.tsv").stream()
                .map(line -> line.split("\t", 2)[0])
                .toList();
        items = new LinkedHashMap<>();
        malformed = new ArrayList<>();
        for (String skill : skillIds) {
            List<Item> parsed = new ArrayList<>();
            InputStream in = RealisticSetShapeTest.class.getResourceAsStream(REALISTIC + skill + ".jsonl");
            if (in != null) {
                List<String> lines = readAll(in);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        parsed.add(parse(skill, i + 1, line));
                    } catch (JacksonException | IllegalArgumentException e) {
                        malformed.add(skill + ".jsonl:" + (i + 1) + ": " + e.getMessage());
                    }
                }
            }
            items.put(skill, parsed);
        }
    }

    @Test
    void should_have_a_file_with_at_least_20_items_for_every_default_skill() {
        assertThat(skillIds).hasSize(27);
        for (String skill : skillIds) {
            assertThat(items.get(skill)).as("items of " + skill).hasSizeGreaterThanOrEqualTo(MIN_ITEMS_PER_SKILL);
        }
    }

    @Test
    void should_only_hold_files_named_after_default_skills() throws URISyntaxException, IOException {
        URL folder = RealisticSetShapeTest.class.getResource(REALISTIC);
        assertThat(folder).as("the realistic folder on the test classpath").isNotNull();
        if (!"file".equals(folder.getProtocol())) {
            return; // packed in a jar: the per-skill checks still apply
        }
        try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
            List<String> unknown = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".jsonl"))
                    .map(name -> name.substring(0, name.length() - ".jsonl".length()))
                    .filter(skill -> !skillIds.contains(skill))
                    .toList();
            assertThat(unknown).as("set files for skills that are not in default-skills.tsv").isEmpty();
        }
    }

    @Test
    void should_parse_every_line_as_a_conversation_of_a_known_shape_ending_with_the_user() {
        assertThat(malformed).as("lines that are not well-formed items").isEmpty();
        for (Item item : all()) {
            assertThat(item.shape()).as(item.where() + " shape").isIn(SHAPES);
            assertThat(item.messages()).as(item.where() + " messages").isNotEmpty();
            for (Message message : item.messages()) {
                assertThat(message.role()).as(item.where() + " role").isIn(ROLES);
                assertThat(message.content()).as(item.where() + " content").isNotBlank();
            }
            assertThat(item.messages().getLast().role()).as(item.where() + " last role").isEqualTo("user");
        }
    }

    @Test
    void should_give_chats_earlier_turns_and_code_a_fenced_block() {
        for (Item item : all()) {
            if (item.shape().equals("chat")) {
                assertThat(item.messages().stream().filter(m -> m.role().equals("assistant")))
                        .as(item.where() + " earlier assistant turns").isNotEmpty();
            }
            if (item.shape().equals("code")) {
                assertThat(item.lastUserTurn()).as(item.where() + " code fence").contains("```");
            }
        }
    }

    @Test
    void should_not_repeat_an_input() {
        Map<String, String> conversations = new HashMap<>();
        Map<String, String> lastTurns = new HashMap<>();
        List<String> repeated = new ArrayList<>();
        for (Item item : all()) {
            String first = conversations.putIfAbsent(normalise(item.input()), item.where());
            if (first != null) {
                repeated.add(item.where() + " repeats the conversation of " + first);
            }
            first = lastTurns.putIfAbsent(normalise(item.lastUserTurn()), item.where());
            if (first != null) {
                repeated.add(item.where() + " repeats the last user turn of " + first);
            }
        }
        assertThat(repeated).isEmpty();
    }

    @Test
    void should_keep_every_item_out_of_the_training_exemplars() {
        Set<String> exemplars = new HashSet<>();
        for (String skill : skillIds) {
            readLines(BASE + "exemplars/" + skill + ".txt").forEach(exemplar -> exemplars.add(normalise(exemplar)));
        }
        assertThat(exemplars).as("exemplars read from the classpath").isNotEmpty();
        List<String> leaked = new ArrayList<>();
        for (Item item : all()) {
            if (exemplars.contains(normalise(item.input()))) {
                leaked.add(item.where() + " (whole conversation)");
            }
            for (Message message : item.messages()) {
                if (message.role().equals("user") && exemplars.contains(normalise(message.content()))) {
                    leaked.add(item.where() + ": " + message.content());
                }
            }
        }
        assertThat(leaked).as("set items found verbatim among the training exemplars").isEmpty();
    }

    private static List<Item> all() {
        return items.values().stream().flatMap(List::stream).toList();
    }

    private static Item parse(String skill, int line, String text) {
        JsonNode node = JSON.readTree(text);
        if (!node.isObject() || !node.path("shape").isString() || !node.path("messages").isArray()) {
            throw new IllegalArgumentException("expected {\"shape\": string, \"messages\": array}");
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode message : node.path("messages")) {
            if (!message.path("role").isString() || !message.path("content").isString()) {
                throw new IllegalArgumentException("every message needs a string role and content");
            }
            messages.add(new Message(message.path("role").asString(), message.path("content").asString()));
        }
        return new Item(skill, line, node.path("shape").asString(), messages);
    }

    /** Lower case with every run of white space collapsed to one space. */
    private static String normalise(String text) {
        return text.toLowerCase().replaceAll("\\s+", " ").strip();
    }

    /** Non-blank lines of a classpath resource that are not comments. */
    private static List<String> readLines(String resource) {
        InputStream in = RealisticSetShapeTest.class.getResourceAsStream(resource);
        assertThat(in).as(resource + " on the test classpath").isNotNull();
        return readAll(in).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    private static List<String> readAll(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
