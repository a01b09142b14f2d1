package io.consilium.registry;

/**
 * Calls one expert. Requests and answers use the OpenAI chat completions shape whatever the
 * provider; the expert's model name, system prompt and limits are applied by the client.
 */
public interface ExpertClient {

    /** The expert this client calls. */
    Expert expert();

    /**
     * Sends the request and waits for the whole answer.
     *
     * @throws ExpertException when the expert fails
     */
    ChatCompletion chat(ChatRequest request);

    /**
     * Opens a streamed answer. Returns once the expert has accepted the request.
     *
     * @throws ExpertException when the stream cannot be opened
     */
    ChatStream stream(ChatRequest request);
}
