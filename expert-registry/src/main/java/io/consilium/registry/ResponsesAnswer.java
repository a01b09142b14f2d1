package io.consilium.registry;

import tools.jackson.databind.node.ObjectNode;

/** A whole {@code response} object of the Responses API, as the expert sent it (fields kept whole). */
public record ResponsesAnswer(ObjectNode body) {

    public Usage usage() {
        return Usage.fromResponses(body.path("usage"));
    }
}
