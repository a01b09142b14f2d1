package io.consilium.aggregator.internal;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.ValidationLimitExceededException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks JSON values against the schema of a structured-output request. Schemas come from clients, so nothing
 * outside the schema itself is ever loaded ({@code $ref} to a URL or the class path is refused), and none is
 * cached, so that clients' schemas cannot pile up. A schema that cannot be used fails every value: the answer
 * could not be shown to match it.
 */
final class SchemaCheck {

    /** OpenAI documents its structured outputs against the current draft; a schema may name another. */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            registry -> registry.schemaCacheEnabled(false).schemaLoader(loader -> loader.block(location -> true)));
    /** Enough errors to say what is wrong without flooding a message. */
    private static final int ERRORS_SHOWN = 3;

    private final String name;
    private final @Nullable Schema schema;
    private final @Nullable String unusable;

    private SchemaCheck(String name, @Nullable Schema schema, @Nullable String unusable) {
        this.name = name;
        this.schema = schema;
        this.unusable = unusable;
    }

    /**
     * @param name the schema's name in the request, for messages
     * @param schema the JSON Schema
     */
    static SchemaCheck of(String name, JsonNode schema) {
        try {
            return new SchemaCheck(name, SCHEMAS.getSchema(schema), null);
        } catch (SchemaException e) {
            return new SchemaCheck(name, null, e.getMessage());
        }
    }

    /** Why the value may not be used, as the end of a sentence about it; empty when it matches the schema. */
    Optional<String> refusal(JsonNode value) {
        if (schema == null) {
            return Optional.of(unusableSchema(unusable));
        }
        List<Error> errors;
        try {
            errors = schema.validate(value);
        } catch (SchemaException e) {
            // A $ref is only followed while validating, so a schema can turn out unusable here too.
            return Optional.of(unusableSchema(e.getMessage()));
        } catch (ValidationLimitExceededException e) {
            return Optional.of("could not be checked against the schema '" + name + "': " + e.getMessage());
        }
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        String shown = errors.stream().limit(ERRORS_SHOWN).map(Error::toString).collect(Collectors.joining("; "));
        return Optional.of("did not match the schema '" + name + "': "
                + (errors.size() > ERRORS_SHOWN ? shown + "; and " + (errors.size() - ERRORS_SHOWN) + " more" : shown));
    }

    private String unusableSchema(@Nullable String why) {
        String reason = why == null ? "no reason given" : why.strip();
        return "could not be checked: the schema '" + name + "' cannot be used ("
                + (reason.endsWith(".") ? reason.substring(0, reason.length() - 1) : reason) + ")";
    }
}
