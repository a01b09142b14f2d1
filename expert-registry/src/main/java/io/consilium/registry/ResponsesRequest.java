package io.consilium.registry;

import tools.jackson.databind.node.ObjectNode;

/**
 * A request in the OpenAI Responses API's wire shape, for an expert that serves that API
 * ({@link ExpertApi#RESPONSES}). The body is kept whole so that every field reaches the expert untouched; the
 * client puts in the expert's model name and system prompt. Callers must not change the body after construction.
 */
public record ResponsesRequest(ObjectNode body) {

    public ResponsesRequest {
        if (!body.has("input")) {
            throw new IllegalArgumentException("a Responses request needs an input");
        }
    }
}
