package io.consilium.registry.internal;

import ai.onnxruntime.OrtException;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ChatStream;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.Limits;
import io.consilium.registry.LocalModelException;
import io.consilium.registry.LocalModelSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An expert whose model runs in this process ({@code provider: onnx}): a decoder-only causal LM in
 * ONNX, loaded on first use by the {@link LocalModelResidency}. Answers in the OpenAI shape, streams
 * token by token, and answers batches in one generation pass per {@link LocalModelSettings#maxBatchSize()}
 * prompts.
 */
public final class LocalExpertClient extends AbstractExpertClient {

    /** The window assumed when neither the expert nor the model's config says: what the expert default used to be. */
    private static final int ASSUMED_CONTEXT_TOKENS = 32_768;

    private final LocalModelResidency residency;
    private final LocalModelSettings settings;
    private final JsonMapper json;

    public LocalExpertClient(Expert expert, LocalModelResidency residency, LocalModelSettings settings, JsonMapper json) {
        super(expert);
        this.residency = residency;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public boolean answersInBatches() {
        return true;
    }

    /**
     * Answers the requests together: the model is acquired once, and each group of up to
     * {@link LocalModelSettings#maxBatchSize()} requests is generated in one pass. A request the model
     * cannot take (bad parameters, too long a prompt) fails the whole batch.
     */
    @Override
    public List<ChatCompletion> chatBatch(List<ChatRequest> requests) {
        if (requests.isEmpty()) {
            return List.of();
        }
        // The same shaping as chat() gives each request (the expert's system prompt first).
        List<ObjectNode> bodies = requests.stream().map(request -> withSystemPrompt(request.body())).toList();
        return generate(bodies);
    }

    @Override
    protected ChatCompletion doChat(ObjectNode body) {
        return generate(List.of(body)).getFirst();
    }

    @Override
    protected ChatStream doStream(ObjectNode body) {
        LocalModelResidency.Lease lease = residency.acquire(expert);
        try {
            GeneratedSequence sequence = prepare(lease.model(), body);
            BatchGeneration generation = new BatchGeneration(lease.model(), List.of(sequence));
            boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            return new LocalChatStream(this, lease, generation, sequence, newId(), includeUsage);
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    private List<ChatCompletion> generate(List<ObjectNode> bodies) {
        try (LocalModelResidency.Lease lease = residency.acquire(expert)) {
            LocalModel model = lease.model();
            List<GeneratedSequence> sequences = bodies.stream().map(body -> prepare(model, body)).toList();
            for (int start = 0; start < sequences.size(); start += settings.maxBatchSize()) {
                List<GeneratedSequence> batch =
                        sequences.subList(start, Math.min(sequences.size(), start + settings.maxBatchSize()));
                try (BatchGeneration generation = new BatchGeneration(model, batch)) {
                    generation.run();
                } catch (OrtException e) {
                    throw inferenceFailed(e);
                } catch (BatchGeneration.GenerationInterruptedException e) {
                    throw timedOut();
                }
            }
            List<ChatCompletion> completions = new ArrayList<>();
            for (GeneratedSequence sequence : sequences) {
                completions.add(completion(sequence));
            }
            return completions;
        }
    }

    /** Renders, tokenises and checks one request against the model. */
    private GeneratedSequence prepare(LocalModel model, ObjectNode body) {
        GenerationParams params;
        String prompt;
        try {
            params = GenerationParams.from(body, model.files().config().defaults(), settings.defaultMaxTokens());
            prompt = model.template().render(body.path("messages"));
        } catch (IllegalArgumentException e) {
            throw new ExpertRejectedRequestException(expert.id(), 400, e.getMessage());
        }
        long[] ids = model.encode(prompt);
        if (ids.length == 0) {
            throw new ExpertRejectedRequestException(expert.id(), 400, "the conversation renders to an empty prompt");
        }
        int context = contextTokens(model);
        if (ids.length >= context) {
            throw new ExpertRejectedRequestException(expert.id(), 400, "the prompt takes " + ids.length
                    + " tokens and leaves no room in the context window of " + context + " tokens");
        }
        int maxNewTokens = Math.min(params.maxNewTokens(), context - ids.length);
        return new GeneratedSequence(ids, maxNewTokens, model.eosTokenIds(), params.sampler(), params.stop(),
                model::decode);
    }

    /** The smaller of the expert's declared context window and the model's own; one of them when the other is unknown. */
    private int contextTokens(LocalModel model) {
        int declared = expert.limits().contextTokens();
        int positions = model.files().config().maxPositions();
        if (declared == Limits.NO_CONTEXT_LIMIT) {
            return positions > 0 ? positions : ASSUMED_CONTEXT_TOKENS;
        }
        return positions > 0 ? Math.min(declared, positions) : declared;
    }

    private ObjectNode withSystemPrompt(ObjectNode original) {
        ObjectNode body = original.deepCopy();
        if (expert.systemPrompt() != null) {
            ArrayNode messages = (ArrayNode) body.get("messages");
            ObjectNode system = messages.insertObject(0);
            system.put("role", "system");
            system.put("content", expert.systemPrompt());
        }
        return body;
    }

    private ChatCompletion completion(GeneratedSequence sequence) {
        ObjectNode completion = envelope(newId(), "chat.completion");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", sequence.text());
        choice.putNull("logprobs");
        choice.put("finish_reason", sequence.finishReason());
        putUsage(completion, sequence);
        return new ChatCompletion(completion);
    }

    ObjectNode envelope(String id, String object) {
        ObjectNode node = json.createObjectNode();
        node.put("id", id);
        node.put("object", object);
        node.put("created", Instant.now().getEpochSecond());
        node.put("model", expert.model() != null ? expert.model() : "onnx/" + expert.id());
        return node;
    }

    static void putUsage(ObjectNode target, GeneratedSequence sequence) {
        ObjectNode usage = target.putObject("usage");
        usage.put("prompt_tokens", sequence.promptTokens());
        usage.put("completion_tokens", sequence.completionTokens());
        usage.put("total_tokens", sequence.promptTokens() + sequence.completionTokens());
    }

    LocalModelException inferenceFailed(OrtException e) {
        return new LocalModelException(expert.id(), "inference failed: " + e.getMessage(), e);
    }

    ExpertTimeoutException timedOut() {
        return new ExpertTimeoutException(expert.id(), expert.limits().timeout());
    }

    private static String newId() {
        return "chatcmpl-local-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
