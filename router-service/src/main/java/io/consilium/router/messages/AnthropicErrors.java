package io.consilium.router.messages;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Anthropic's error body, {@code {"type": "error", "error": {"type", "message"}}}, and its type for each status. */
final class AnthropicErrors {

    private AnthropicErrors() {}

    /** Anthropic's error type for an HTTP status. */
    static String typeOf(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            case 504 -> "timeout_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    /** Anthropic's error type for an error sent inside a stream, where only the OpenAI type is known. */
    static String typeOf(String openAiType) {
        return switch (openAiType) {
            case "invalid_request_error" -> "invalid_request_error";
            case "permission_error" -> "permission_error";
            case "rate_limit_error" -> "rate_limit_error";
            case "service_unavailable_error" -> "overloaded_error";
            case "timeout_error" -> "timeout_error";
            default -> "api_error";
        };
    }

    static ObjectNode body(String type, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        return body;
    }

    /** The OpenAI-shaped error the rest of the service wrote, in Anthropic's shape. */
    static ObjectNode fromOpenAi(JsonNode openAiError, int status) {
        String message = openAiError.path("error").path("message").asString("");
        if (message.isEmpty()) {
            message = "The request failed with status " + status + ".";
        }
        return body(typeOf(status), message);
    }
}
