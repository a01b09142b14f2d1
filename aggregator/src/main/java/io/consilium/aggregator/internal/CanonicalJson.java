package io.consilium.aggregator.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * JSON written so that equal values are equal strings: object keys sorted, no white space, numbers without
 * trailing zeros. Two models rarely format the same object the same way, so answers and tool-call arguments
 * are compared in this form. Thread-safe.
 */
public final class CanonicalJson {

    // Decimals are read exactly: 0.1 and 0.10 must compare equal, and no double rounding may make two differ.
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** Past this exponent a plain number would be a huge string, so scientific notation is kept. */
    private static final int MAX_PLAIN_SCALE = 1000;

    private CanonicalJson() {}

    /** The JSON value the whole text holds; empty when it is not exactly one JSON value. */
    public static Optional<JsonNode> parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    /** The canonical form of the JSON the text holds; empty when it is not JSON. */
    public static Optional<String> of(String text) {
        return parse(text).map(CanonicalJson::write);
    }

    /** The canonical form of a JSON value. */
    public static String write(JsonNode node) {
        StringBuilder out = new StringBuilder();
        append(node, out);
        return out.toString();
    }

    private static void append(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.properties());
            fields.sort(Map.Entry.comparingByKey());
            out.append('{');
            for (int i = 0; i < fields.size(); i++) {
                out.append(i == 0 ? "" : ",");
                out.append(JsonNodeFactory.instance.stringNode(fields.get(i).getKey())).append(':');
                append(fields.get(i).getValue(), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                append(node.get(i), out);
            }
            out.append(']');
        } else if (node.isNumber()) {
            BigDecimal number = node.decimalValue().stripTrailingZeros();
            out.append(Math.abs(number.scale()) > MAX_PLAIN_SCALE ? number.toString() : number.toPlainString());
        } else {
            out.append(node);
        }
    }
}
