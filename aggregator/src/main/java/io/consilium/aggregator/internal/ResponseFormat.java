package io.consilium.aggregator.internal;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The request's {@code response_format}: plain text, JSON mode ({@code json_object}: the content is a JSON
 * object) or structured outputs ({@code json_schema}: the content matches the given schema, whether or not
 * {@code strict} is set, since a client that gave a schema relies on it).
 */
final class ResponseFormat {

    /** A whole answer wrapped in one markdown code block, as chat models like to write JSON. */
    private static final Pattern FENCE = Pattern.compile("(?s)^```(?i:json)?[ \\t]*\\R(.*?)\\R?[ \\t]*```$");

    private enum Kind { TEXT, JSON_OBJECT, JSON_SCHEMA }

    private final Kind kind;
    private final String schemaName;
    private final @Nullable JsonNode schemaNode;
    /** Compiled on the first check: most uses of the rules never check an answer against it. */
    private @Nullable SchemaCheck schema;

    private ResponseFormat(Kind kind, String schemaName, @Nullable JsonNode schemaNode) {
        this.kind = kind;
        this.schemaName = schemaName;
        this.schemaNode = schemaNode;
    }

    /** Reads a {@code response_format} field; any other type than the two JSON ones, or none, is plain text. */
    static ResponseFormat of(JsonNode format) {
        return switch (format.path("type").asString("")) {
            case "json_object" -> new ResponseFormat(Kind.JSON_OBJECT, "", null);
            case "json_schema" -> {
                JsonNode spec = format.path("json_schema");
                JsonNode schema = spec.path("schema");
                // Without a schema there is nothing to match but the object itself.
                yield new ResponseFormat(Kind.JSON_SCHEMA, spec.path("name").asString(""),
                        schema.isObject() ? schema : null);
            }
            default -> new ResponseFormat(Kind.TEXT, "", null);
        };
    }

    boolean isJson() {
        return kind != Kind.TEXT;
    }

    /** The constraint, for messages: "response_format json_schema 'weather'"; empty for plain text. */
    Optional<String> describe() {
        return switch (kind) {
            case TEXT -> Optional.empty();
            case JSON_OBJECT -> Optional.of("response_format json_object");
            case JSON_SCHEMA -> Optional.of("response_format json_schema '" + schemaName + "'");
        };
    }

    /**
     * Whether the content has the requested form; under JSON mode the accepted text is the bare JSON. Not
     * thread-safe: the rules of one request are used by one thread.
     */
    Verdict check(String content) {
        if (kind == Kind.TEXT) {
            return new Verdict.Accepted(content);
        }
        String bare = bare(content);
        Optional<JsonNode> json = CanonicalJson.parse(bare);
        if (json.isEmpty()) {
            return new Verdict.Refused("was not valid JSON");
        }
        if (schemaNode != null) {
            if (schema == null) {
                schema = SchemaCheck.of(schemaName, schemaNode);
            }
            Optional<String> refusal = schema.refusal(json.get());
            if (refusal.isPresent()) {
                return new Verdict.Refused(refusal.get());
            }
        } else if (!json.get().isObject()) {
            return new Verdict.Refused("was JSON but not an object");
        }
        return new Verdict.Accepted(bare);
    }

    /** The content without white space around it and without a markdown code fence wrapping all of it. */
    static String bare(String content) {
        String stripped = content.strip();
        Matcher fenced = FENCE.matcher(stripped);
        return fenced.matches() ? fenced.group(1).strip() : stripped;
    }
}
