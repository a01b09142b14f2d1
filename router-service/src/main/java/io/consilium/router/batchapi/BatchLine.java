package io.consilium.router.batchapi;

import tools.jackson.databind.node.ObjectNode;

/**
 * One request of a batch input file.
 *
 * @param index position among the file's requests, from 0; results are stored under it
 * @param lineNumber the line of the file it is on, from 1, for messages
 * @param model the body's {@code model}: a virtual model or an expert id
 * @param body the chat completion or embeddings request
 * @param url the endpoint the line asks: {@value BatchInputReader#ENDPOINT} or {@value BatchInputReader#EMBEDDINGS}
 */
record BatchLine(int index, int lineNumber, String customId, String model, ObjectNode body, String url) {

    BatchLine(int index, int lineNumber, String customId, String model, ObjectNode body) {
        this(index, lineNumber, customId, model, body, BatchInputReader.ENDPOINT);
    }

    /** Whether the line asks for embeddings rather than a chat completion. */
    boolean isEmbeddings() {
        return BatchInputReader.EMBEDDINGS.equals(url);
    }
}
