package io.consilium.router.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Works out where a chat request's answer is kept. The partition is every field of the request except the last
 * user turn and the fields that change only how the answer is delivered ({@code stream}, {@code stream_options},
 * the {@code consilium.cache} switch): the model, the routing options, tools, tool choice, response format, every
 * sampling field, the system prompt and the whole conversation before the question, and fields Consilium does not
 * know (they reach the experts, so they may change the answer). Objects are hashed with their keys sorted, so the
 * order a client writes them in does not matter.
 */
final class CacheKeys {

    /** Fields that change how an answer is delivered, not what it says. */
    private static final Set<String> DELIVERY = Set.of("stream", "stream_options");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CacheKeys() {}

    /**
     * The request's key, or empty when its answer is not cached: the conversation does not end with a user turn
     * (it carries tool results back, or prefills the assistant), or it asks for several choices.
     */
    static Optional<CacheKey> of(JsonNode body, String owner) {
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            return Optional.empty();
        }
        JsonNode question = messages.get(messages.size() - 1);
        if (!"user".equals(question.path("role").asString(""))) {
            return Optional.empty();
        }
        if (body.path("n").asInt(1) != 1) {
            return Optional.empty();
        }
        ObjectNode rest = NODES.objectNode();
        for (String name : body.propertyNames()) {
            if (!DELIVERY.contains(name) && !name.equals("messages")) {
                rest.set(name, body.get(name));
            }
        }
        if (rest.path("consilium").isObject()) {
            ObjectNode options = ((ObjectNode) rest.get("consilium")).deepCopy();
            options.remove("cache");
            rest.set("consilium", options);
        }
        ArrayNode before = rest.putArray("messages");
        for (int i = 0; i < messages.size() - 1; i++) {
            before.add(messages.get(i));
        }
        String partition = sha256(owner + "\n" + canonical(rest));
        return Optional.of(new CacheKey(owner, partition, sha256(partition + "\n" + canonical(question))));
    }

    /** The JSON text of a value with every object's keys sorted. */
    static String canonical(JsonNode value) {
        return sorted(value).toString();
    }

    private static JsonNode sorted(JsonNode value) {
        if (value.isObject()) {
            List<String> names = new ArrayList<>(value.propertyNames());
            Collections.sort(names);
            ObjectNode copy = NODES.objectNode();
            for (String name : names) {
                copy.set(name, sorted(value.get(name)));
            }
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            value.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return value;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
