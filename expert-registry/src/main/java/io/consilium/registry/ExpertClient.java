package io.consilium.registry;

import java.util.List;

/**
 * Calls one expert. Requests and answers use the OpenAI chat completions (or embeddings) shape whatever the
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

    /**
     * Sends a Responses API request to an expert whose endpoint serves that API ({@link ExpertApi#RESPONSES}) and
     * waits for the whole {@code response} object, under the same guards as a chat.
     *
     * @throws ExpertException when the expert fails
     * @throws UnsupportedOperationException when the expert does not declare the Responses API
     */
    default ResponsesAnswer respond(ResponsesRequest request) {
        throw new UnsupportedOperationException("expert '" + expert().id() + "' does not serve the Responses API");
    }

    /**
     * Opens a streamed Responses API answer: its events ({@code response.created}, …, {@code response.completed}),
     * each object carrying its {@code type}, read as the expert sends them. Returns once the expert has accepted
     * the request.
     *
     * @throws ExpertException when the stream cannot be opened
     * @throws UnsupportedOperationException when the expert does not declare the Responses API
     */
    default ChatStream streamResponse(ResponsesRequest request) {
        throw new UnsupportedOperationException("expert '" + expert().id() + "' does not serve the Responses API");
    }

    /**
     * Whether {@link #chatBatch} runs its requests together (a model in this process answering several
     * prompts in one pass) rather than one after another. Callers that gather requests for one expert
     * into batches do so only for such experts.
     */
    default boolean answersInBatches() {
        return false;
    }

    /**
     * Answers several requests, in order. Local experts run them together, loading their model at most
     * once; others answer them one by one.
     *
     * @throws ExpertException when the batch cannot be answered
     */
    default List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
        return requests.stream().map(this::chat).toList();
    }

    /**
     * Turns the request's inputs into vectors, all by this expert's model. Only experts with the role
     * {@link Role#EMBEDDING} serve embeddings; callers check the role first.
     *
     * @throws ExpertException when the expert fails or refuses the request
     * @throws UnsupportedOperationException when the expert does not serve embeddings
     */
    default Embeddings embed(EmbeddingRequest request) {
        throw new UnsupportedOperationException("expert '" + expert().id() + "' does not serve embeddings");
    }
}
