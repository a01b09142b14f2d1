package io.consilium.router.batchapi;

import io.consilium.router.api.ApiException;
import io.consilium.router.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/batches}: create a batch over an uploaded file, follow it, cancel it, list them. */
@RestController
class BatchesController {

    static final int MAX_LIST = 100;
    private static final int MAX_METADATA = 16;
    private static final int MAX_METADATA_KEY = 64;
    private static final int MAX_METADATA_VALUE = 512;

    private final Batches batches;

    BatchesController(Batches batches) {
        this.batches = batches;
    }

    @PostMapping(path = "/v1/batches", consumes = MediaType.APPLICATION_JSON_VALUE)
    BatchView create(@RequestBody JsonNode body, HttpServletRequest request) {
        if (!body.isObject()) {
            throw ApiException.invalidRequest(null, "The body must be a JSON object with input_file_id, endpoint"
                    + " and completion_window.");
        }
        String inputFileId = required(body, "input_file_id");
        String endpoint = required(body, "endpoint");
        if (!BatchInputReader.isEndpoint(endpoint)) {
            throw ApiException.invalidRequest("endpoint", "'endpoint' must be '" + BatchInputReader.ENDPOINT + "' or '"
                    + BatchInputReader.EMBEDDINGS + "', but was '" + endpoint + "'.");
        }
        String window = required(body, "completion_window");
        if (!Batches.COMPLETION_WINDOW.equals(window)) {
            throw ApiException.invalidRequest("completion_window", "'completion_window' must be '"
                    + Batches.COMPLETION_WINDOW + "', but was '" + window + "'.");
        }
        return batches.create(inputFileId, endpoint, metadata(body.path("metadata")), Caller.of(request));
    }

    @GetMapping("/v1/batches/{id}")
    BatchView find(@PathVariable String id, HttpServletRequest request) {
        return batches.find(id, Caller.of(request));
    }

    @PostMapping("/v1/batches/{id}/cancel")
    BatchView cancel(@PathVariable String id, HttpServletRequest request) {
        return batches.cancel(id, Caller.of(request));
    }

    @GetMapping("/v1/batches")
    BatchList list(@RequestParam(required = false) @Nullable String after,
            @RequestParam(defaultValue = "20") int limit, HttpServletRequest request) {
        if (limit < 1 || limit > MAX_LIST) {
            throw ApiException.invalidRequest("limit", "'limit' must be between 1 and " + MAX_LIST + ", but was "
                    + limit + ".");
        }
        return batches.list(after, limit, Caller.of(request));
    }

    private static String required(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            throw ApiException.invalidRequest(field, "'" + field + "' is required.");
        }
        if (!value.isString() || value.asString().isBlank()) {
            throw ApiException.invalidRequest(field, "'" + field + "' must be a non-empty string.");
        }
        return value.asString();
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        if (metadata.isMissingNode() || metadata.isNull()) {
            return Map.of();
        }
        if (!metadata.isObject() || metadata.size() > MAX_METADATA) {
            throw ApiException.invalidRequest("metadata", "'metadata' must be an object of at most " + MAX_METADATA
                    + " string values.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
            if (entry.getKey().length() > MAX_METADATA_KEY || !entry.getValue().isString()
                    || entry.getValue().asString().length() > MAX_METADATA_VALUE) {
                throw ApiException.invalidRequest("metadata." + entry.getKey(), "'metadata' keys may be at most "
                        + MAX_METADATA_KEY + " characters and values strings of at most " + MAX_METADATA_VALUE + ".");
            }
            values.put(entry.getKey(), entry.getValue().asString());
        }
        return values;
    }
}
