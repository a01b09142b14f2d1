package io.consilium.registry.internal;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Template for provider clients: the public calls shape the request the same way for every provider
 * (expert's model name, system prompt, stream flag, no Consilium-only fields); a provider implements
 * only the wire call.
 */
public abstract class AbstractExpertClient implements ExpertClient {

    /** The request field that carries Consilium's own options; never sent upstream. */
    static final String CONSILIUM_FIELD = "consilium";

    protected final Expert expert;

    protected AbstractExpertClient(Expert expert) {
        this.expert = expert;
    }

    @Override
    public final Expert expert() {
        return expert;
    }

    @Override
    public final ChatCompletion chat(ChatRequest request) {
        return doChat(upstreamBody(request, false));
    }

    @Override
    public final ChatStream stream(ChatRequest request) {
        return doStream(upstreamBody(request, true));
    }

    /** Sends the prepared body and returns the whole answer. */
    protected abstract ChatCompletion doChat(ObjectNode body);

    /** Sends the prepared body and opens the stream. */
    protected abstract ChatStream doStream(ObjectNode body);

    private ObjectNode upstreamBody(ChatRequest request, boolean stream) {
        ObjectNode body = request.body().deepCopy();
        body.remove(CONSILIUM_FIELD);
        if (expert.model() != null) {
            body.put("model", expert.model());
        }
        if (stream) {
            body.put("stream", true);
        } else {
            body.remove("stream");
            body.remove("stream_options");
        }
        if (expert.systemPrompt() != null) {
            ArrayNode messages = (ArrayNode) body.get("messages");
            ObjectNode system = messages.insertObject(0);
            system.put("role", "system");
            system.put("content", expert.systemPrompt());
        }
        return body;
    }
}
