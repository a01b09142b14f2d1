package io.consilium.router.embeddings;

import io.consilium.registry.EmbeddingRequest;
import io.consilium.router.api.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks an embeddings request before anything is routed or called; each problem is a 400 naming the field.
 * {@code input} is a non-empty text, a list of 1 to {@value #MAX_INPUTS} non-empty texts, a non-empty list of
 * token ids, or a list of such lists; {@code encoding_format} is {@code float} or {@code base64};
 * {@code dimensions} a positive integer; {@code user} a string. Other fields are left for the expert.
 */
public final class EmbeddingRequestValidator {

    /** The most inputs one request may hold, as OpenAI allows. */
    public static final int MAX_INPUTS = 2048;
    /** Far above any model's vector size; a larger number is a mistake, not a request. */
    static final int MAX_DIMENSIONS = 65_536;
    private static final String INPUT_SHAPES = "'input' must be a non-empty string, an array of non-empty strings,"
            + " an array of token ids (integers from 0), or an array of such arrays";

    /** The request, if the body is a valid embeddings request. */
    public EmbeddingRequest validate(JsonNode node) {
        if (!(node instanceof ObjectNode body)) {
            throw ApiException.invalidRequest(null, "The body must be a JSON object.");
        }
        JsonNode model = body.path("model");
        if (!model.isString() || model.asString().isBlank()) {
            throw ApiException.invalidRequest("model", "'model' is required: an embedding expert id or consilium/route.");
        }
        checkInput(body.path("input"));
        JsonNode format = body.path("encoding_format");
        if (!absent(format) && !(format.isString() && EncodingFormat.of(format.asString()) != null)) {
            throw ApiException.invalidRequest("encoding_format", "'encoding_format' must be \"float\" or \"base64\", but was "
                    + format + ".");
        }
        JsonNode dimensions = body.path("dimensions");
        if (!absent(dimensions) && !(dimensions.isIntegralNumber() && dimensions.canConvertToInt()
                && dimensions.asInt() >= 1 && dimensions.asInt() <= MAX_DIMENSIONS)) {
            throw ApiException.invalidRequest("dimensions", "'dimensions' must be an integer from 1 to " + MAX_DIMENSIONS
                    + ", but was " + dimensions + ".");
        }
        JsonNode user = body.path("user");
        if (!absent(user) && !user.isString()) {
            throw ApiException.invalidRequest("user", "'user' must be a string.");
        }
        if (body.has("consilium")) {
            throw ApiException.invalidRequest("consilium", "The 'consilium' routing options do not apply to embeddings:"
                    + " a request goes to one expert, named as model or chosen by consilium/route.");
        }
        return new EmbeddingRequest(body);
    }

    private static void checkInput(JsonNode input) {
        if (input.isString()) {
            if (input.asString().isEmpty()) {
                throw ApiException.invalidRequest("input", "'input' must not be an empty string.");
            }
            return;
        }
        if (!input.isArray()) {
            throw ApiException.invalidRequest("input", absent(input) ? "'input' is required." : INPUT_SHAPES + ".");
        }
        if (input.isEmpty()) {
            throw ApiException.invalidRequest("input", "'input' must not be an empty array.");
        }
        JsonNode first = input.get(0);
        if (first.isIntegralNumber()) {
            checkTokenIds(input, "input");
            return;
        }
        if (input.size() > MAX_INPUTS) {
            throw ApiException.invalidRequest("input", "'input' holds " + input.size() + " items, more than the "
                    + MAX_INPUTS + " one request may hold; send several requests.");
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (first.isString() && item.isString()) {
                if (item.asString().isEmpty()) {
                    throw ApiException.invalidRequest("input", "'input[" + i + "]' must not be an empty string.");
                }
            } else if (first.isArray() && item.isArray()) {
                checkTokenIds(item, "input[" + i + "]");
            } else {
                throw ApiException.invalidRequest("input", INPUT_SHAPES + "; 'input[" + i + "]' is "
                        + describe(item) + (i > 0 ? " where 'input[0]' is " + describe(first) : "") + ".");
            }
        }
    }

    private static void checkTokenIds(JsonNode ids, String name) {
        if (ids.isEmpty()) {
            throw ApiException.invalidRequest("input", "'" + name + "' must not be an empty array of token ids.");
        }
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.asInt() < 0) {
                throw ApiException.invalidRequest("input", "'" + name + "' must hold token ids only (integers from 0),"
                        + " but holds " + describe(id) + ".");
            }
        }
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a number";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "not a value";
        };
    }

    private static boolean absent(JsonNode node) {
        return node.isMissingNode() || node.isNull();
    }
}
