package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.OpenAiError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lines of a batch's output file, in OpenAI's shape: {@code {"id", "custom_id", "response": {"status_code",
 * "request_id", "body"}, "error"}}. An answered line has {@code "error": null}; a failed one carries the
 * error body under {@code response} with its status, and its code and message under {@code error}.
 */
final class BatchOutput {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BatchOutput() {}

    static String answered(BatchLine line, ObjectNode completion) {
        ObjectNode output = start(line, 200, completion);
        output.putNull("error");
        return JSON.writeValueAsString(output);
    }

    static String failed(BatchLine line, ApiException failure) {
        OpenAiError error = failure.toError();
        ObjectNode output = start(line, failure.status().value(), JSON.valueToTree(error));
        output.putObject("error")
                .put("code", error.error().code() != null ? error.error().code() : error.error().type())
                .put("message", error.error().message());
        return JSON.writeValueAsString(output);
    }

    /** Whether a stored output line is an answer (rather than a failure). */
    static boolean isAnswer(String outputLine) {
        return JSON.readTree(outputLine).path("error").isNull();
    }

    private static ObjectNode start(BatchLine line, int status, JsonNode body) {
        ObjectNode output = JSON.createObjectNode();
        output.put("id", Ids.request());
        output.put("custom_id", line.customId());
        output.putObject("response")
                .put("status_code", status)
                .put("request_id", Ids.requestId())
                .set("body", body);
        return output;
    }
}
