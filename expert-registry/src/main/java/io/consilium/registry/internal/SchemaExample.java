package io.consilium.registry.internal;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a value that a JSON Schema accepts, for the mock experts' structured answers and tool arguments:
 * every declared property with a value of its type, nested objects recursively, an enum's first value.
 * Strings carry a label, so that a parsed answer still shows it came from a mock. It covers what clients
 * send as response formats and tool parameters (types, properties, items, enum, const, anyOf/oneOf/allOf,
 * local {@code $ref}s), not the whole of JSON Schema.
 */
final class SchemaExample {

    /** Deep enough for any real response format; a recursive {@code $ref} stops here instead of looping. */
    private static final int MAX_DEPTH = 12;

    private final JsonMapper json;
    private final JsonNode root;
    private final String label;

    private SchemaExample(JsonMapper json, JsonNode root, String label) {
        this.json = json;
        this.root = root;
        this.label = label;
    }

    /** A value the schema accepts; a missing or empty schema gets an empty object, as OpenAI tools do. */
    static JsonNode of(JsonNode schema, String label, JsonMapper json) {
        if (!schema.isObject() || schema.isEmpty()) {
            return json.createObjectNode();
        }
        return new SchemaExample(json, schema, label).value(schema, "", 0);
    }

    private JsonNode value(JsonNode schema, String name, int depth) {
        JsonNode resolved = resolve(schema, depth);
        if (resolved.has("const")) {
            return resolved.get("const");
        }
        JsonNode options = resolved.path("enum");
        if (options.isArray() && !options.isEmpty()) {
            return options.get(0);
        }
        for (String alternatives : new String[] {"anyOf", "oneOf"}) {
            JsonNode first = resolved.path(alternatives).path(0);
            if (first.isObject()) {
                return value(first, name, depth + 1);
            }
        }
        JsonNode allOf = resolved.path("allOf");
        if (allOf.isArray() && !allOf.isEmpty()) {
            return value(merged(resolved, allOf, depth), name, depth + 1);
        }
        return switch (type(resolved)) {
            case "object" -> object(resolved, depth);
            case "array" -> array(resolved, name, depth);
            case "string" -> json.getNodeFactory().stringNode(string(resolved, name));
            case "integer" -> json.getNodeFactory().numberNode((long) Math.ceil(lowest(resolved)));
            case "number" -> json.getNodeFactory().numberNode(lowest(resolved));
            case "boolean" -> json.getNodeFactory().booleanNode(true);
            case "null" -> json.getNodeFactory().nullNode();
            default -> json.getNodeFactory().stringNode(string(resolved, name));
        };
    }

    /** The declared type; with a list of types, the first that is not null; without one, guessed from the keywords. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isString()) {
            return type.asString();
        }
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (!"null".equals(each.asString(""))) {
                    return each.asString("");
                }
            }
            return "null";
        }
        if (schema.has("properties")) {
            return "object";
        }
        return schema.has("items") ? "array" : "string";
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode object = json.createObjectNode();
        if (depth >= MAX_DEPTH) {
            return object;
        }
        // Every declared property, required or not: none of them is extra, and strict schemas require all.
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            object.set(property.getKey(), value(property.getValue(), property.getKey(), depth + 1));
        }
        return object;
    }

    private ArrayNode array(JsonNode schema, String name, int depth) {
        ArrayNode array = json.createArrayNode();
        int size = schema.path("minItems").asInt(1);
        if (schema.path("maxItems").isIntegralNumber()) {
            size = Math.min(size, schema.path("maxItems").asInt());
        }
        JsonNode items = schema.path("items");
        for (int i = 0; i < size && depth < MAX_DEPTH; i++) {
            array.add(value(items.isObject() ? items : json.createObjectNode(), name, depth + 1));
        }
        return array;
    }

    /** A formatted string where the schema asks for a format a parser checks; otherwise the label. */
    private String string(JsonNode schema, String name) {
        String text = switch (schema.path("format").asString("")) {
            case "date-time" -> "1970-01-01T00:00:00Z";
            case "date" -> "1970-01-01";
            case "time" -> "00:00:00Z";
            case "email" -> "mock@example.invalid";
            case "uri", "url" -> "https://example.invalid/mock";
            case "uuid" -> "00000000-0000-4000-8000-000000000000";
            default -> name.isEmpty() ? label : label + " (" + name + ")";
        };
        int maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        return text.length() <= maxLength ? text : text.substring(0, Math.max(0, maxLength));
    }

    /** The least number the schema allows, or 0 when it sets no lower bound. */
    private static double lowest(JsonNode schema) {
        if (schema.path("minimum").isNumber()) {
            return schema.path("minimum").asDouble();
        }
        if (schema.path("exclusiveMinimum").isNumber()) {
            return schema.path("exclusiveMinimum").asDouble() + 1;
        }
        return schema.path("maximum").isNumber() ? Math.min(0, schema.path("maximum").asDouble()) : 0;
    }

    /** Follows local references ({@code #/$defs/x}, {@code #/definitions/x}); others are treated as any value. */
    private JsonNode resolve(JsonNode schema, int depth) {
        JsonNode current = schema;
        for (int hops = 0; current.path("$ref").isString() && hops < MAX_DEPTH && depth < MAX_DEPTH; hops++) {
            String ref = current.path("$ref").asString();
            if (!ref.startsWith("#")) {
                return json.createObjectNode();
            }
            JsonNode target = root.at(ref.substring(1));
            current = target.isMissingNode() ? json.createObjectNode() : target;
        }
        return current;
    }

    /** The keywords of {@code allOf}'s members laid over the schema itself, properties joined. */
    private JsonNode merged(JsonNode schema, JsonNode allOf, int depth) {
        ObjectNode merged = ((ObjectNode) schema).deepCopy();
        merged.remove("allOf");
        ObjectNode properties = json.createObjectNode();
        if (schema.path("properties").isObject()) {
            properties.setAll((ObjectNode) schema.get("properties"));
        }
        for (JsonNode member : allOf) {
            JsonNode part = resolve(member, depth);
            if (part.isObject()) {
                part.properties().forEach(field -> {
                    if (!"properties".equals(field.getKey())) {
                        merged.set(field.getKey(), field.getValue());
                    }
                });
                if (part.path("properties").isObject()) {
                    properties.setAll((ObjectNode) part.get("properties"));
                }
            }
        }
        if (!properties.isEmpty()) {
            merged.set("properties", properties);
        }
        return merged;
    }
}
