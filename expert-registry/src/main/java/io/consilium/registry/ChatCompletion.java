package io.consilium.registry;

import tools.jackson.databind.node.ObjectNode;

/** A complete chat answer in the OpenAI wire shape, as the expert sent it (fields kept whole). */
public record ChatCompletion(ObjectNode body) {

    public Usage usage() {
        return Usage.from(body.path("usage"));
    }

    /** The text of the first choice, or empty. */
    public String text() {
        return body.path("choices").path(0).path("message").path("content").asString("");
    }
}
