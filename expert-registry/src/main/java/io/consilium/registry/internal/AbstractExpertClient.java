package io.consilium.registry.internal;

import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.EmbeddingRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.EgressRefusedException;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertConnectionException;
import io.consilium.registry.ExpertForbiddenException;
import io.consilium.registry.ResponsesAnswer;
import io.consilium.registry.ResponsesRequest;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Template for provider clients: the public calls shape the request the same way for every provider
 * (expert's model name, system prompt, stream flag, usage asked for in streams, no Consilium-only fields) and check the expert's
 * address against the egress policy before every call; a provider implements only the wire call.
 */
public abstract class AbstractExpertClient implements ExpertClient {

    /** The request field that carries Consilium's own options; never sent upstream. */
    static final String CONSILIUM_FIELD = "consilium";

    protected final Expert expert;
    private final EgressPolicy egress;

    /** A client under the default egress policy. */
    protected AbstractExpertClient(Expert expert) {
        this(expert, EgressPolicy.ofDefaults());
    }

    protected AbstractExpertClient(Expert expert, EgressPolicy egress) {
        this.expert = expert;
        this.egress = egress;
    }

    @Override
    public final Expert expert() {
        return expert;
    }

    @Override
    public final ChatCompletion chat(ChatRequest request) {
        return afterEgressCheck(upstreamBody(request, false), this::doChat);
    }

    @Override
    public final ChatStream stream(ChatRequest request) {
        return afterEgressCheck(upstreamBody(request, true), this::doStream);
    }

    /**
     * Sends a Responses API request, shaped as a chat is (the expert's model name, its system prompt ahead of the
     * request's {@code instructions}, no Consilium-only fields) after the same egress check.
     */
    @Override
    public final ResponsesAnswer respond(ResponsesRequest request) {
        return afterEgressCheck(responsesBody(request, false), this::doRespond);
    }

    @Override
    public final ChatStream streamResponse(ResponsesRequest request) {
        return afterEgressCheck(responsesBody(request, true), this::doStreamResponse);
    }

    /** Sends the shaped body once the expert's address passes the egress check. */
    private <T> T afterEgressCheck(ObjectNode body, Function<ObjectNode, T> call) {
        checkEgress();
        return call.apply(body);
    }

    /** Sends the prepared Responses body and returns the whole response; providers that serve the API override it. */
    protected ResponsesAnswer doRespond(ObjectNode body) {
        throw new UnsupportedOperationException("provider " + expert.provider() + " does not serve the Responses API");
    }

    /** Sends the prepared Responses body and opens its event stream; providers that serve the API override it. */
    protected ChatStream doStreamResponse(ObjectNode body) {
        throw new UnsupportedOperationException("provider " + expert.provider() + " does not serve the Responses API");
    }

    /**
     * Embeds the request's inputs: the same shaping (the expert's model name, no Consilium-only fields) and the
     * same egress check as a chat.
     */
    @Override
    public final Embeddings embed(EmbeddingRequest request) {
        if (!expert.servesEmbeddings()) {
            throw new UnsupportedOperationException("expert '" + expert.id() + "' does not serve embeddings");
        }
        ObjectNode body = request.body().deepCopy();
        body.remove(CONSILIUM_FIELD);
        if (expert.model() != null) {
            body.put("model", expert.model());
        }
        checkEgress();
        return doEmbed(body, request);
    }

    /**
     * Sends the prepared embeddings body and returns one vector per input. Providers that serve embeddings
     * override it.
     *
     * @param request the request as the caller made it, for its parsed views of the input
     */
    protected Embeddings doEmbed(ObjectNode body, EmbeddingRequest request) {
        throw new UnsupportedOperationException("provider " + expert.provider() + " does not serve embeddings");
    }

    /** Sends the prepared body and returns the whole answer. */
    protected abstract ChatCompletion doChat(ObjectNode body);

    /** Sends the prepared body and opens the stream. */
    protected abstract ChatStream doStream(ObjectNode body);

    /**
     * Checks, before each call, where the expert's host points now: it was checked at registration, but
     * DNS may have changed since. The JVM caches lookups, so the HTTP client connects to what was checked
     * here unless the cache entry expires in between.
     */
    private void checkEgress() {
        URI baseUrl = expert.baseUrl();
        if (baseUrl == null || !expert.provider().isRemote()) {
            return; // mock and local experts call nobody
        }
        try {
            egress.check(baseUrl);
        } catch (EgressRefusedException refused) {
            throw new ExpertForbiddenException(expert.id(), refused);
        } catch (UnknownHostException unresolved) {
            // Fails the same way the HTTP client would have, as a connection error that a retry may cure.
            throw new ExpertConnectionException(expert.id(), "connection failed: host does not resolve", unresolved);
        }
    }

    private ObjectNode responsesBody(ResponsesRequest request, boolean stream) {
        if (!expert.serves(ExpertApi.RESPONSES)) {
            throw new UnsupportedOperationException("expert '" + expert.id() + "' does not serve the Responses API");
        }
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
        String systemPrompt = expert.systemPrompt();
        if (systemPrompt != null) {
            // The Responses API's place for a system message; the expert's own prompt comes first, as in a chat.
            String instructions = body.path("instructions").asString("");
            body.put("instructions", instructions.isEmpty() ? systemPrompt : systemPrompt + "\n\n" + instructions);
        }
        return body;
    }

    private ObjectNode upstreamBody(ChatRequest request, boolean stream) {
        ObjectNode body = request.body().deepCopy();
        body.remove(CONSILIUM_FIELD);
        if (expert.model() != null) {
            body.put("model", expert.model());
        }
        if (stream) {
            body.put("stream", true);
            // Always asked, so that a stream's tokens are counted (metrics, cost, key limits) even when its
            // client did not ask to see them; the relay to the client leaves the usage chunk out then.
            JsonNode options = body.path("stream_options");
            ObjectNode streamOptions = options.isObject() ? (ObjectNode) options : body.putObject("stream_options");
            streamOptions.put("include_usage", true);
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
