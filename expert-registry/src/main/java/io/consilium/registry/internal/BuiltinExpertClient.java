package io.consilium.registry.internal;

import io.consilium.registry.BuiltinEmbedder;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.LocalModelException;
import java.util.OptionalInt;
import tools.jackson.databind.node.ObjectNode;

/**
 * An expert served by a model that ships inside the service. It makes embeddings of text only: token ids belong
 * to some other model's tokenizer, and the vector size is the model's own (it was not trained to be cut
 * shorter), so token-id input and any other {@code dimensions} are refused naming the field.
 */
final class BuiltinExpertClient extends AbstractExpertClient {

    private final BuiltinEmbedder embedder;

    BuiltinExpertClient(Expert expert, BuiltinEmbedder embedder) {
        super(expert);
        this.embedder = embedder;
    }

    @Override
    protected Embeddings doEmbed(ObjectNode body, EmbeddingRequest request) {
        if (request.hasTokenInput()) {
            throw new ExpertRejectedRequestException(expert.id(), "input", "The expert '" + expert.id()
                    + "' is a built-in model that takes text input only, not token ids.");
        }
        OptionalInt dimensions = request.dimensions();
        if (dimensions.isPresent() && dimensions.getAsInt() != embedder.dimensions()) {
            throw new ExpertRejectedRequestException(expert.id(), "dimensions", "The expert '" + expert.id()
                    + "' makes vectors of " + embedder.dimensions() + " dimensions only, but 'dimensions' was "
                    + dimensions.getAsInt() + ".");
        }
        try {
            return embedder.embed(request.texts());
        } catch (RuntimeException e) {
            throw new LocalModelException(expert.id(), "embedding failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        throw servesNoChats();
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        throw servesNoChats();
    }

    private ExpertRejectedRequestException servesNoChats() {
        return new ExpertRejectedRequestException(expert.id(), "model", "The expert '" + expert.id()
                + "' is an embedding model; it answers no chats.");
    }
}
