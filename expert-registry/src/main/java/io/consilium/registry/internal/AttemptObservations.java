package io.consilium.registry.internal;

import io.consilium.registry.CallOutcome;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Embeddings;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertTracing;
import io.consilium.registry.Usage;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * One observation per attempt at an expert call, named {@value #NAME}, with the attributes of the OpenTelemetry
 * GenAI semantic conventions and Consilium's own. Low-cardinality values (the expert, its provider and model,
 * the operation, the outcome) are what a metric may be tagged with; token counts and request parameters are
 * high-cardinality, for the trace only. Prompts and answers are recorded only when the tracing captures
 * content; an error is recorded by its outcome, never by its message, which may quote the upstream.
 * When observations are off, an attempt is the attempt itself, with nothing around it.
 */
final class AttemptObservations {

    static final String NAME = "consilium.expert.attempt";

    /** What an attempt asks of the expert, as {@code gen_ai.operation.name} says. */
    enum Operation {
        CHAT("chat"),
        EMBEDDINGS("embeddings");

        private final String value;

        Operation(String value) {
            this.value = value;
        }
    }

    private final ExpertTracing tracing;

    AttemptObservations(ExpertTracing tracing) {
        this.tracing = tracing;
    }

    /** Attempts at a chat call: each observed with the request's parameters and the answer's model and usage. */
    <T> Supplier<T> chat(Expert expert, ChatRequest request, Supplier<T> attempt,
            Function<Throwable, CallOutcome> outcomeOf) {
        return observed(expert, Operation.CHAT, attempt, outcomeOf, observation -> describe(observation, request),
                (observation, answer) -> {
                    if (answer instanceof ChatCompletion completion) {
                        describe(observation, completion);
                    }
                });
    }

    /** Attempts at an embeddings call: each observed with the tokens read. */
    Supplier<Embeddings> embeddings(Expert expert, Supplier<Embeddings> attempt,
            Function<Throwable, CallOutcome> outcomeOf) {
        return observed(expert, Operation.EMBEDDINGS, attempt, outcomeOf, observation -> {},
                (observation, answer) -> usage(observation, answer.usage()));
    }

    /**
     * Attempts at a call forwarded in the upstream's own protocol (the Responses API): observed as chat, without
     * the request's parameters or the answer's usage, which that protocol spells its own way.
     */
    <T> Supplier<T> forwarded(Expert expert, Supplier<T> attempt, Function<Throwable, CallOutcome> outcomeOf) {
        return observed(expert, Operation.CHAT, attempt, outcomeOf, observation -> {}, (observation, answer) -> {});
    }

    /**
     * The call, to run on another thread as part of the observation current on this one, so that its attempts
     * stay in the caller's trace; the call itself when nothing is observed.
     */
    <T> Supplier<T> inCurrentObservation(Supplier<T> call) {
        ObservationRegistry registry = tracing.observations();
        Observation current = registry.isNoop() ? null : registry.getCurrentObservation();
        if (current == null) {
            return call;
        }
        return () -> {
            try (Observation.Scope scope = current.openScope()) {
                return call.get();
            }
        };
    }

    private <T> Supplier<T> observed(Expert expert, Operation operation, Supplier<T> attempt,
            Function<Throwable, CallOutcome> outcomeOf, Consumer<Observation> onStart,
            BiConsumer<Observation, T> onAnswer) {
        ObservationRegistry registry = tracing.observations();
        if (registry.isNoop()) {
            return attempt;
        }
        AtomicInteger attempts = new AtomicInteger();
        return () -> {
            String model = expert.model() == null ? expert.id() : expert.model();
            Observation observation = Observation.createNotStarted(NAME, registry)
                    .contextualName(operation.value + " " + model)
                    .lowCardinalityKeyValue(GenAi.OPERATION, operation.value)
                    .lowCardinalityKeyValue(GenAi.PROVIDER, expert.provider().id())
                    .lowCardinalityKeyValue(GenAi.REQUEST_MODEL, model)
                    .lowCardinalityKeyValue(EXPERT, expert.id())
                    .highCardinalityKeyValue(ATTEMPT, Integer.toString(attempts.incrementAndGet()));
            onStart.accept(observation);
            observation.start();
            CallOutcome outcome = CallOutcome.OK;
            try (Observation.Scope scope = observation.openScope()) {
                T answer = attempt.get();
                onAnswer.accept(observation, answer);
                return answer;
            } catch (RuntimeException | Error failure) {
                outcome = outcomeOf.apply(failure);
                observation.highCardinalityKeyValue(GenAi.ERROR_TYPE, outcome.tag());
                throw failure;
            } finally {
                observation.lowCardinalityKeyValue(OUTCOME, outcome.tag());
                observation.stop();
            }
        };
    }

    private void describe(Observation observation, ChatRequest request) {
        JsonNode body = request.body();
        JsonNode maxTokens = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        if (maxTokens != null && maxTokens.isIntegralNumber()) {
            observation.highCardinalityKeyValue(GenAi.REQUEST_MAX_TOKENS, maxTokens.asString());
        }
        for (String[] parameter : REQUEST_NUMBERS) {
            JsonNode value = body.get(parameter[0]);
            if (value != null && value.isNumber()) {
                observation.highCardinalityKeyValue(parameter[1], value.asString());
            }
        }
        if (tracing.capturesContent()) {
            observation.highCardinalityKeyValue(GenAi.INPUT_MESSAGES, body.path("messages").toString());
        }
    }

    private void describe(Observation observation, ChatCompletion completion) {
        JsonNode body = completion.body();
        String responseModel = body.path("model").asString("");
        if (!responseModel.isEmpty()) {
            observation.highCardinalityKeyValue(GenAi.RESPONSE_MODEL, responseModel);
        }
        String id = body.path("id").asString("");
        if (!id.isEmpty()) {
            observation.highCardinalityKeyValue(GenAi.RESPONSE_ID, id);
        }
        usage(observation, completion.usage());
        if (tracing.capturesContent()) {
            observation.highCardinalityKeyValue(GenAi.OUTPUT_MESSAGES, body.path("choices").toString());
        }
    }

    private static void usage(Observation observation, Usage usage) {
        observation.highCardinalityKeyValue(GenAi.INPUT_TOKENS, Long.toString(usage.promptTokens()));
        observation.highCardinalityKeyValue(GenAi.OUTPUT_TOKENS, Long.toString(usage.completionTokens()));
    }

    /** Request fields recorded as they were sent, by their semantic-convention names. */
    private static final String[][] REQUEST_NUMBERS = {
        {"temperature", GenAi.REQUEST_TEMPERATURE},
        {"top_p", GenAi.REQUEST_TOP_P},
        {"seed", GenAi.REQUEST_SEED},
    };

    /** The expert's id. */
    static final String EXPERT = "consilium.expert";
    /** Which attempt of the call this is, from 1; a reserve's call starts again at 1. */
    static final String ATTEMPT = "consilium.attempt";
    /** A {@link CallOutcome#tag()}. */
    static final String OUTCOME = "consilium.outcome";

    /** Names of the OpenTelemetry semantic conventions for generative AI. */
    static final class GenAi {
        static final String OPERATION = "gen_ai.operation.name";
        static final String PROVIDER = "gen_ai.provider.name";
        static final String REQUEST_MODEL = "gen_ai.request.model";
        static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
        static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";
        static final String REQUEST_TOP_P = "gen_ai.request.top_p";
        static final String REQUEST_SEED = "gen_ai.request.seed";
        static final String RESPONSE_MODEL = "gen_ai.response.model";
        static final String RESPONSE_ID = "gen_ai.response.id";
        static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
        static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
        static final String INPUT_MESSAGES = "gen_ai.input.messages";
        static final String OUTPUT_MESSAGES = "gen_ai.output.messages";
        static final String ERROR_TYPE = "error.type";

        private GenAi() {}
    }
}
