package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.OpenAiError;
import io.consilium.router.chat.ChatRequestValidator;
import io.consilium.router.embeddings.EmbeddingRequestValidator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a batch input file: JSONL, one {@code {"custom_id", "method": "POST", "url": "/v1/chat/completions",
 * "body": {…}}} per line, every body a valid chat completion request, or with {@code "url": "/v1/embeddings"} a
 * valid embeddings request. The first bad line is a 400 that
 * names its line number and the problem; blank lines are skipped.
 */
final class BatchInputReader {

    static final String ENDPOINT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";
    /** OpenAI's limit per batch. */
    static final int MAX_REQUESTS = 50_000;
    static final int MAX_CUSTOM_ID_LENGTH = 512;
    private static final Set<String> FIELDS = Set.of("custom_id", "method", "url", "body");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChatRequestValidator validator;
    private final EmbeddingRequestValidator embeddings = new EmbeddingRequestValidator();

    BatchInputReader(ChatRequestValidator validator) {
        this.validator = validator;
    }

    /** Whether a batch may be created for the endpoint. */
    static boolean isEndpoint(String url) {
        return ENDPOINT.equals(url) || EMBEDDINGS.equals(url);
    }

    /** Decodes an upload; anything but UTF-8 text is a 400. */
    static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalidRequest("file", "The file is not UTF-8 text; upload JSONL encoded in UTF-8.");
        }
    }

    List<BatchLine> read(String content) {
        List<BatchLine> lines = new ArrayList<>();
        Map<String, Integer> customIds = new HashMap<>();
        String[] physical = content.split("\n", -1);
        for (int i = 0; i < physical.length; i++) {
            String text = physical[i].strip();
            if (text.isEmpty()) {
                continue;
            }
            int lineNumber = i + 1;
            if (lines.size() == MAX_REQUESTS) {
                throw ApiException.invalidRequest("file", "The file holds more than " + MAX_REQUESTS
                        + " requests; split it into several batches.");
            }
            BatchLine line = parse(text, lineNumber, lines.size());
            Integer earlier = customIds.putIfAbsent(line.customId(), lineNumber);
            if (earlier != null) {
                throw bad(lineNumber, "'custom_id' '" + line.customId() + "' is already used on line " + earlier
                        + "; every request needs its own.");
            }
            lines.add(line);
        }
        if (lines.isEmpty()) {
            throw ApiException.invalidRequest("file", "The file holds no requests; put one JSON request per line.");
        }
        return lines;
    }

    private BatchLine parse(String text, int lineNumber, int index) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw bad(lineNumber, "it is not valid JSON.");
        }
        if (!(node instanceof ObjectNode request)) {
            throw bad(lineNumber, "it must be a JSON object with custom_id, method, url and body.");
        }
        for (String name : request.propertyNames()) {
            if (!FIELDS.contains(name)) {
                throw bad(lineNumber, "'" + name + "' is not a known field; the fields are custom_id, method, url and body.");
            }
        }
        JsonNode customId = request.path("custom_id");
        if (!customId.isString() || customId.asString().isBlank()) {
            throw bad(lineNumber, "'custom_id' must be a non-empty string.");
        }
        if (customId.asString().length() > MAX_CUSTOM_ID_LENGTH) {
            throw bad(lineNumber, "'custom_id' may be at most " + MAX_CUSTOM_ID_LENGTH + " characters long.");
        }
        if (!"POST".equals(request.path("method").asString(""))) {
            throw bad(lineNumber, "'method' must be \"POST\".");
        }
        String url = request.path("url").asString("");
        if (!isEndpoint(url)) {
            throw bad(lineNumber, "'url' must be \"" + ENDPOINT + "\" or \"" + EMBEDDINGS + "\".");
        }
        if (!(request.get("body") instanceof ObjectNode body)) {
            throw bad(lineNumber, "'body' must be a " + (EMBEDDINGS.equals(url) ? "embeddings" : "chat completion")
                    + " request object.");
        }
        if (EMBEDDINGS.equals(url)) {
            try {
                embeddings.validate(body);
            } catch (ApiException e) {
                throw bad(lineNumber, inBody(e));
            }
            return new BatchLine(index, lineNumber, customId.asString(), body.path("model").asString(), body, url);
        }
        if (body.path("stream").asBoolean(false)) {
            throw bad(lineNumber, "'body.stream' must not be true: batch answers are not streamed.");
        }
        try {
            validator.validate(body);
        } catch (ApiException e) {
            throw bad(lineNumber, inBody(e));
        }
        return new BatchLine(index, lineNumber, customId.asString(), body.path("model").asString(), body);
    }

    private static String inBody(ApiException e) {
        OpenAiError.Detail detail = e.toError().error();
        return (detail.param() == null ? "" : "in 'body." + detail.param() + "': ") + detail.message();
    }

    private static ApiException bad(int lineNumber, String problem) {
        return ApiException.invalidRequest("file", "Line " + lineNumber + " of the file is invalid: " + problem);
    }
}
