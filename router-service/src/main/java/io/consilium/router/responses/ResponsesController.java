package io.consilium.router.responses;

import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertApi;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Usage;
import io.consilium.router.api.ApiException;
import io.consilium.router.api.ClientDisconnects;
import io.consilium.router.auth.Caller;
import io.consilium.router.cache.CacheScope;
import io.consilium.router.chat.ChatComposition;
import io.consilium.router.chat.ChatEvents;
import io.consilium.router.chat.ChatRequestValidator;
import io.consilium.router.chat.SseResponse;
import io.consilium.router.chat.TokenCeiling;
import io.consilium.router.config.ConsiliumProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/responses}: the OpenAI Responses API. A request is translated to a chat request and answered by
 * {@link ChatComposition} (an expert id, {@code consilium/route} or {@code consilium/auto}, exactly as chat
 * completions), and the answer translated back, whole or as the Responses event stream; a request naming an
 * expert that serves the Responses API itself is forwarded to it instead ({@link NativeResponses}). Either way
 * the response is Consilium's (its id, stored for {@code previous_response_id}) and carries the same
 * {@code consilium} object as a chat completion, as an extra top-level field.
 */
@RestController
class ResponsesController {

    private static final Logger log = LoggerFactory.getLogger(ResponsesController.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ChatComposition composition;
    private final NativeResponses forwarded;
    private final ExpertRegistry registry;
    private final ChatRequestValidator validator;
    private final ResponseStore store;
    private final ClientDisconnects disconnects;
    private final JsonMapper json;

    ResponsesController(ChatComposition composition, NativeResponses forwarded, ExpertRegistry registry,
            ResponseStore store, ClientDisconnects disconnects, JsonMapper json, ConsiliumProperties properties) {
        this.composition = composition;
        this.forwarded = forwarded;
        this.registry = registry;
        this.validator = new ChatRequestValidator(properties.api().maxMessages());
        this.store = store;
        this.disconnects = disconnects;
        this.json = json;
    }

    /** Returns the response, or null once it has been streamed or the client has hung up. */
    @PostMapping(path = "/v1/responses", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Nullable ResponseEntity<ObjectNode> create(@RequestBody JsonNode body, HttpServletRequest httpRequest,
            HttpServletResponse httpResponse) throws IOException {
        long started = System.nanoTime();
        boolean declared = declaresResponses(body.path("model").asString(""));
        ResponseRequest request = ResponseRequest.parse(body, declared);
        Caller caller = Caller.of(httpRequest);
        caller.checkModel(request.model());
        Long maxTokens = request.maxOutputTokens();
        if (caller.maxTokens() > 0 && maxTokens != null && maxTokens > caller.maxTokens()) {
            throw ApiException.invalidRequest("max_output_tokens", "'max_output_tokens' may be at most "
                    + caller.maxTokens() + " with this API key, but was " + maxTokens + ".");
        }
        ArrayNode conversation = conversation(request, caller);
        // Built for a forwarded request too: the checks of a direct call (length, images, options) read it.
        ChatRequest chat = validator.validate(ChatTranslation.chatBody(request, conversation));
        Expert forwardedTo = !declared ? null
                : composition.namedExpert(chat).filter(expert -> expert.serves(ExpertApi.RESPONSES)).orElse(null);
        if (declared && forwardedTo == null) {
            // The expert stopped serving the Responses API since the request was read: check it for translation.
            request = ResponseRequest.parse(body, false);
        }
        TokenCeiling.apply(chat, caller.maxTokens());
        ResponseDraft draft = new ResponseDraft(request);
        String owner = caller.owner();
        boolean stored = request.store();
        Consumer<ObjectNode> keep = response -> {
            if (stored) {
                store.put(new StoredResponse(draft.id(), owner, response, withIds(conversation)));
            }
        };
        ClientDisconnects.Watch watch = disconnects.watch(httpRequest);
        try {
            if (forwardedTo != null) {
                return forward(new NativeResponses.Forwarding(forwardedTo, draft,
                        NativeResponses.upstreamRequest(request, conversation, caller.maxTokens()), chat.lastUserText(),
                        keep, started), request.stream(), httpResponse);
            }
            return translated(chat, draft, keep, started, httpRequest, httpResponse);
        } catch (RuntimeException | IOException e) {
            if (watch.clientLeft()) {
                log.debug("Client left before its response was ready; expert calls cancelled ({})", e.toString());
                return null;
            }
            throw e;
        } finally {
            watch.close();
        }
    }

    /** Answers through the chat composition and translates the answer back, whole or as the event stream. */
    private @Nullable ResponseEntity<ObjectNode> translated(ChatRequest chat, ResponseDraft draft,
            Consumer<ObjectNode> keep, long started, HttpServletRequest httpRequest, HttpServletResponse httpResponse)
            throws IOException {
        ChatEvents.Opener opener = headers -> ResponseEventStream.start(SseResponse.open(httpResponse, json, headers),
                draft, keep);
        ChatComposition.Answer answer = composition.answer(chat, CacheScope.of(httpRequest, httpResponse), opener,
                started);
        if (answer == null) {
            return null;
        }
        ObjectNode response = whole(draft, answer.body());
        keep.accept(response);
        return ResponseEntity.ok()
                .header(ChatComposition.EXPERTS_HEADER, answer.experts())
                .header(ChatComposition.OVERHEAD_HEADER, Long.toString(answer.overheadMs()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(response);
    }

    /** Forwards the request to an expert that serves the Responses API, whole or streamed. */
    private @Nullable ResponseEntity<ObjectNode> forward(NativeResponses.Forwarding forwarding, boolean stream,
            HttpServletResponse httpResponse) {
        if (!stream) {
            return forwarded.whole(forwarding);
        }
        forwarded.stream(forwarding, httpResponse);
        return null;
    }

    /** Whether the model names an enabled expert that serves the Responses API, so that a request may be forwarded. */
    private boolean declaresResponses(String model) {
        return registry.find(model).filter(Expert::enabled).filter(expert -> expert.serves(ExpertApi.RESPONSES))
                .isPresent();
    }

    @GetMapping("/v1/responses/{id}")
    ObjectNode get(@PathVariable String id, HttpServletRequest httpRequest) {
        return owned(id, Caller.of(httpRequest)).response();
    }

    @DeleteMapping("/v1/responses/{id}")
    ObjectNode delete(@PathVariable String id, HttpServletRequest httpRequest) {
        owned(id, Caller.of(httpRequest));
        if (!store.delete(id)) {
            throw notFound(id);
        }
        return NODES.objectNode().put("id", id).put("object", "response.deleted").put("deleted", true);
    }

    /** The input items of the conversation that led to the response, newest first unless {@code order=asc}. */
    @GetMapping("/v1/responses/{id}/input_items")
    ObjectNode inputItems(@PathVariable String id, @RequestParam(defaultValue = "desc") String order,
            HttpServletRequest httpRequest) {
        if (!order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalidRequest("order", "'order' must be asc or desc, but was '" + order + "'.");
        }
        ArrayNode items = owned(id, Caller.of(httpRequest)).input();
        ArrayNode data = NODES.arrayNode();
        for (int i = 0; i < items.size(); i++) {
            data.add(items.get(order.equals("asc") ? i : items.size() - 1 - i));
        }
        ObjectNode list = NODES.objectNode().put("object", "list");
        list.set("data", data);
        if (data.isEmpty()) {
            list.putNull("first_id");
            list.putNull("last_id");
        } else {
            list.put("first_id", data.get(0).path("id").asString());
            list.put("last_id", data.get(data.size() - 1).path("id").asString());
        }
        list.put("has_more", false);
        return list;
    }

    /** The items of the conversation so far: the continued response's input and output, then this input. */
    private ArrayNode conversation(ResponseRequest request, Caller caller) {
        ArrayNode conversation = NODES.arrayNode();
        String previousId = request.previousResponseId();
        if (previousId != null) {
            StoredResponse previous = store.find(previousId).filter(stored -> caller.maySee(stored.owner()))
                    .orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST,
                            "invalid_request_error", "previous_response_not_found", "previous_response_id",
                            "Previous response with id '" + previousId + "' not found.", null));
            conversation.addAll(previous.input());
            for (JsonNode item : previous.response().path("output")) {
                conversation.add(item);
            }
        }
        ArrayNode input = request.input();
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            conversation.add(item.path("type").asString().equals("item_reference")
                    ? referenced(item.path("id").asString(), caller, "input[" + i + "].id") : item);
        }
        return conversation;
    }

    /** The output item of a stored response that an {@code item_reference} names. */
    private JsonNode referenced(String itemId, Caller caller, String param) {
        return ResponseDraft.responseOf(itemId).flatMap(store::find)
                .filter(stored -> caller.maySee(stored.owner()))
                .flatMap(stored -> stored.response().path("output").valueStream()
                        .filter(item -> item.path("id").asString().equals(itemId)).findFirst())
                .orElseThrow(() -> ApiException.invalidRequest(param, "Item with id '" + itemId + "' not found."));
    }

    private StoredResponse owned(String id, Caller caller) {
        return store.find(id).filter(stored -> caller.maySee(stored.owner())).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("response_not_found", "No response with id '" + id + "' was found.");
    }

    /** The response object for a whole chat completion. */
    private static ObjectNode whole(ResponseDraft draft, ObjectNode completion) {
        ObjectNode metadata = completion.path("consilium") instanceof ObjectNode consilium
                ? consilium.deepCopy() : NODES.objectNode();
        metadata.put("completion_id", completion.path("id").asString());
        String finishReason = completion.path("choices").path(0).path("finish_reason").asString(null);
        return draft.response(ResponseDraft.status(finishReason), draft.output(completion),
                Usage.from(completion.path("usage")), metadata, null);
    }

    /** The items with an id each, as OpenAI lists input items. */
    private static ArrayNode withIds(ArrayNode items) {
        ArrayNode copy = NODES.arrayNode();
        for (JsonNode item : items) {
            ObjectNode withId = (ObjectNode) item.deepCopy();
            if (!withId.path("id").isString()) {
                withId.put("id", ResponseDraft.newId(switch (withId.path("type").asString()) {
                    case "function_call" -> "fc_";
                    case "function_call_output" -> "fco_";
                    default -> "msg_";
                }));
            }
            copy.add(withId);
        }
        return copy;
    }
}
