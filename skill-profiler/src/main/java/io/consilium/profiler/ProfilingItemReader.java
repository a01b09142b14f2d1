package io.consilium.profiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads profiling items ({@code {"id", "question" | "messages", "answer", "answer_type", "skills"}})
 * from JSON or JSONL. Every error names the item and the field, so a bad line in a large upload can
 * be found and fixed.
 */
public final class ProfilingItemReader {

    private static final Set<String> FIELDS = Set.of("id", "question", "messages", "answer", "answer_type", "skills");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Predicate<String> knownSkill;

    /** @param knownSkill whether a skill id belongs to the taxonomy */
    public ProfilingItemReader(Predicate<String> knownSkill) {
        this.knownSkill = knownSkill;
    }

    /** Reads a JSON array of items. */
    public List<ProfilingItem> readArray(JsonNode items) {
        if (!items.isArray()) {
            throw new IllegalArgumentException("items must be an array of item objects");
        }
        List<ProfilingItem> read = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            read.add(read(items.get(i), "items[" + i + "]"));
        }
        return read;
    }

    /** Reads one item per non-blank line. */
    public List<ProfilingItem> readJsonLines(Reader lines) throws IOException {
        List<ProfilingItem> read = new ArrayList<>();
        BufferedReader reader = new BufferedReader(lines);
        int number = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String where = "line " + number;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JacksonException e) {
                throw new IllegalArgumentException(where + " is not valid JSON");
            }
            read.add(read(node, where));
        }
        return read;
    }

    private ProfilingItem read(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        for (String field : node.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + " has an unknown field '" + field + "'; fields are " + FIELDS);
            }
        }
        String id = text(node, "id", where);
        String label = where + " (id '" + id + "')";
        ArrayNode messages = messages(node, label);
        JsonNode answer = node.path("answer");
        if (!(answer.isString() || answer.isNumber()) || answer.asString().isBlank()) {
            throw new IllegalArgumentException(label + ".answer must be a non-empty string or a number");
        }
        String typeId = text(node, "answer_type", label);
        AnswerType type = AnswerType.fromId(typeId).orElseThrow(() -> new IllegalArgumentException(
                label + ".answer_type must be one of " + List.of(AnswerType.values()) + ", but was '" + typeId + "'"));
        List<String> skills = new ArrayList<>();
        JsonNode skillNodes = node.path("skills");
        if (!skillNodes.isMissingNode() && !skillNodes.isNull()) {
            if (!skillNodes.isArray()) {
                throw new IllegalArgumentException(label + ".skills must be an array of skill ids");
            }
            for (JsonNode skill : skillNodes) {
                if (!skill.isString() || !knownSkill.test(skill.asString())) {
                    throw new IllegalArgumentException(label + ".skills names '" + skill.asString(skill.toString())
                            + "', which is not a skill of the taxonomy");
                }
                skills.add(skill.asString());
            }
        }
        ProfilingItem item = new ProfilingItem(id, messages, answer.asString(), type, skills);
        try {
            Graders.validate(item);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return item;
    }

    private static ArrayNode messages(JsonNode node, String label) {
        boolean hasQuestion = node.has("question");
        boolean hasMessages = node.has("messages");
        if (hasQuestion == hasMessages) {
            throw new IllegalArgumentException(label + " needs exactly one of question or messages");
        }
        if (hasQuestion) {
            String question = text(node, "question", label);
            ArrayNode messages = JsonNodeFactory.instance.arrayNode();
            messages.addObject().put("role", "user").put("content", question);
            return messages;
        }
        JsonNode messages = node.get("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException(label + ".messages must be a non-empty array of chat messages");
        }
        for (JsonNode message : messages) {
            if (!message.path("role").isString() || message.path("content").isMissingNode()) {
                throw new IllegalArgumentException(label + ".messages must hold objects with role and content");
            }
        }
        return (ArrayNode) messages.deepCopy();
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.path(field);
        if (!value.isString() || value.asString().isBlank()) {
            throw new IllegalArgumentException(where + "." + field + " must be a non-empty string");
        }
        return value.asString();
    }
}
