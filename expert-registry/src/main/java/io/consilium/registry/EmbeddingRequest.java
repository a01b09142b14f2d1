package io.consilium.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An embeddings request in the OpenAI wire shape. The body is kept whole so that fields this service does not
 * know reach a remote expert untouched. {@code input} is one text, a list of texts, one list of token ids or a
 * list of such lists; callers validate it before building a request. Callers must not change the body after
 * construction.
 */
public record EmbeddingRequest(ObjectNode body) {

    public EmbeddingRequest {
        JsonNode input = body.path("input");
        if (!input.isString() && !(input.isArray() && !input.isEmpty())) {
            throw new IllegalArgumentException("an embeddings request needs an input text or a non-empty input array");
        }
    }

    /** A request for these texts, the other fields taken from {@code template} (its {@code input} replaced). */
    public static EmbeddingRequest ofTexts(ObjectNode template, List<String> texts) {
        ObjectNode body = template.deepCopy();
        var input = body.putArray("input");
        texts.forEach(input::add);
        return new EmbeddingRequest(body);
    }

    /** Whether the input is token ids (a list of integers, or a list of such lists) rather than text. */
    public boolean hasTokenInput() {
        JsonNode input = body.path("input");
        if (!input.isArray()) {
            return false;
        }
        JsonNode first = input.get(0);
        return first.isIntegralNumber() || first.isArray();
    }

    /** How many vectors the answer holds: one per text, or per list of token ids. */
    public int inputCount() {
        JsonNode input = body.path("input");
        if (input.isString() || input.get(0).isIntegralNumber()) {
            return 1;
        }
        return input.size();
    }

    /**
     * The input texts, in order.
     *
     * @throws IllegalStateException when the input is token ids
     */
    public List<String> texts() {
        JsonNode input = body.path("input");
        if (input.isString()) {
            return List.of(input.asString());
        }
        if (hasTokenInput()) {
            throw new IllegalStateException("the input is token ids, not text");
        }
        List<String> texts = new ArrayList<>(input.size());
        input.forEach(text -> texts.add(text.asString()));
        return texts;
    }

    /** The vector size the client asked for, if it asked. */
    public OptionalInt dimensions() {
        JsonNode dimensions = body.path("dimensions");
        return dimensions.isIntegralNumber() ? OptionalInt.of(dimensions.asInt()) : OptionalInt.empty();
    }
}
