package io.consilium.router.chat;

import io.consilium.aggregator.FusionResult;
import io.consilium.aggregator.ToolCall;
import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.Usage;
import io.consilium.router.auth.TokenMeter;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.routing.ExpertOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns what experts answered into the {@code chat.completion} a client receives: one expert's answer as it
 * is, or the answer fusion made of a plan's answers, with the {@code consilium} object either way. The chat
 * endpoint and batch jobs share it, so that both answer alike.
 */
@Component
public final class ChatAnswers {

    private final CompletionLog completions;
    private final JsonMapper json;

    ChatAnswers(CompletionLog completions, JsonMapper json) {
        this.completions = completions;
        this.json = json;
    }

    /**
     * One expert's answer with our own id (what feedback refers to) and the {@code consilium} object added.
     * Takes over the completion's body.
     */
    public ObjectNode direct(Expert expert, ChatRequest request, ChatCompletion completion, long latencyMs,
            long overheadMs) {
        ObjectNode body = completion.body();
        String id = CompletionLog.newId();
        body.put("id", id);
        body.set("consilium", directMetadata(id, expert, request.lastUserText(), completion.usage(), latencyMs,
                overheadMs));
        return body;
    }

    /**
     * What follows one expert's answer, whatever its shape (a chat completion, or a Responses API response forwarded
     * as it is): its tokens charged to the caller's key, the answer remembered for feedback under
     * {@code completionId}, and the {@code consilium} object that describes the call.
     */
    public ObjectNode directMetadata(String completionId, Expert expert, String question, Usage usage, long latencyMs,
            long overheadMs) {
        TokenMeter.add(expert, usage);
        completions.remember(completionId, List.of(expert.id()), question);
        return ConsiliumMetadata.direct(new ExpertCall(expert, 1.0, latencyMs, usage, CallOutcome.OK), overheadMs);
    }

    /**
     * The fused answer as a {@code chat.completion} for the virtual model: its text, or the tool calls it makes
     * (remembered with their maker, so the conversation that answers them returns to it), remembered for feedback.
     *
     * @param result a fusion result that carries its answer (not a stream)
     */
    public ObjectNode completion(String model, FusedAnswer fused, FusionResult result, Usage aggregatorUsage,
            long overheadMs) {
        String text = result.requireText();
        String id = CompletionLog.newId();
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        if (result.hasToolCalls()) {
            // OpenAI's shape for a tool-call answer: null content unless the model also wrote some.
            if (text.isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", text);
            }
            message.set("tool_calls", ToolCall.write(result.toolCalls()));
            choice.put("finish_reason", "tool_calls");
            rememberToolCalls(result);
        } else {
            message.put("content", text);
            choice.put("finish_reason", "stop");
        }
        Usage total = sum(fused.expertUsage(), aggregatorUsage);
        fused.round().meter();
        if (result.aggregator() != null) {
            TokenMeter.add(result.aggregator().aggregator(), aggregatorUsage);
        }
        putUsage(body, total);
        long aggregatorMillis = result.aggregator() == null ? 0 : result.aggregator().latency().toMillis();
        body.set("consilium", VirtualModelMetadata.of(fused, aggregatorUsage, aggregatorMillis, overheadMs));
        remember(id, fused);
        return body;
    }

    /**
     * The one expert's answer to a {@code consilium/route} request, relayed whole (every choice, tool call,
     * refusal and logprob it holds) under our own id and the virtual model's name, with the {@code consilium}
     * object added. Takes over the completion's body.
     */
    public ObjectNode relayed(String model, FusedAnswer fused, ChatCompletion completion, long overheadMs) {
        fused.round().meter();
        ObjectNode body = completion.body();
        String id = CompletionLog.newId();
        body.put("id", id);
        body.put("model", model);
        body.set("consilium", VirtualModelMetadata.of(fused, Usage.NONE, 0, overheadMs));
        remember(id, fused);
        List<String> toolCallIds = new ArrayList<>();
        for (JsonNode choice : body.path("choices")) {
            for (JsonNode call : choice.path("message").path("tool_calls")) {
                toolCallIds.add(call.path("id").asString(""));
            }
        }
        rememberToolCalls(toolCallIds, fused.answered().getFirst().expertId());
        return body;
    }

    /** Remembers the fused answer's tool calls with their author, when fusion knows who it was. */
    void rememberToolCalls(FusionResult result) {
        if (result.author() != null) {
            rememberToolCalls(result.toolCalls().stream().map(ToolCall::id).toList(), result.author());
        }
    }

    /** Remembers who made an answer's tool calls, so the conversation that answers them comes back to it. */
    void rememberToolCalls(List<String> toolCallIds, String expertId) {
        List<String> ids = toolCallIds.stream().filter(id -> !id.isEmpty()).toList();
        if (!ids.isEmpty()) {
            completions.rememberToolCalls(ids, expertId);
        }
    }

    /** Remembers which experts made the answer, for feedback on it. */
    void remember(String id, FusedAnswer fused) {
        List<String> experts = Stream.concat(fused.answered().stream().map(ExpertOutcome::expertId),
                fused.aggregatorOutcome() == CallOutcome.OK ? Stream.of(fused.plan().aggregator().id()) : Stream.empty())
                .distinct().toList();
        completions.remember(id, experts, fused.plan().skills().skills());
    }

    static Usage sum(Usage a, Usage b) {
        return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens());
    }

    static void putUsage(ObjectNode target, Usage usage) {
        target.putObject("usage")
                .put("prompt_tokens", usage.promptTokens())
                .put("completion_tokens", usage.completionTokens())
                .put("total_tokens", usage.promptTokens() + usage.completionTokens());
    }
}
