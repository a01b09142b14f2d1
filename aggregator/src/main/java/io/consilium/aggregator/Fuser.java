package io.consilium.aggregator;

import io.consilium.aggregator.internal.DefaultFuser;
import io.consilium.registry.ChatCompletion;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Makes one answer out of several experts' answers: a lone answer or a consensus is taken as it is, the
 * weighted vote and the best expert pick one, and synthesis asks the aggregator to write one, falling
 * back to the vote when it fails. The aggregator is called only through the client the caller hands in,
 * so the caller's own decoration (batching, metrics) applies. Thread-safe.
 *
 * <p>Answers may be tool calls, and the request may constrain their form: {@code response_format} (JSON mode or
 * a JSON Schema), {@code tool_choice} and {@code parallel_tool_calls}. An answer that breaks these is left out of
 * consensus, vote and best, and an aggregator's synthesis that breaks them counts as a failed one. Answers agree
 * when they call the same functions with equal arguments, or, under JSON mode, hold equal JSON values.
 *
 * <p>Whole chains: {@link #fuse} and {@link #fuseStreaming}. A caller that runs many syntheses together
 * decides first ({@link #decide}), sends the pending requests its own way, and finishes each with
 * {@link #synthesized} or {@link #aggregatorFailed}.
 */
public interface Fuser {

    static Fuser of(FusionConfig config) {
        return new DefaultFuser(config);
    }

    FusionConfig config();

    /**
     * Decides the fusion without calling any model: a lone answer is taken as it is (fusion {@code best},
     * or {@code none} when the plan asked one expert), so is an answer every expert agrees on; vote and best
     * pick one; synthesis is left pending. Only answers that meet the request's constraints count; when none
     * does, synthesis is still left pending, for the aggregator may write one that does.
     *
     * @throws NoAnswerException when no expert answered
     * @throws NoValidAnswerException when no answer meets the request's constraints and no synthesis is planned
     */
    FusionDecision decide(FusionInput input);

    /**
     * Decides and, when synthesis is needed, asks the aggregator for a whole answer; when it fails, the
     * weighted vote answers instead.
     *
     * @param clients where the aggregator's client comes from
     * @throws NoAnswerException when no expert answered
     * @throws NoValidAnswerException when no answer, the aggregator's included, meets the request's constraints
     */
    FusionResult fuse(FusionInput input, Function<? super Expert, ? extends ExpertClient> clients);

    /**
     * Decides and, when synthesis is needed, opens the aggregator's stream, which the result carries for
     * the caller to relay and close; when it cannot be opened, the weighted vote answers instead. Nothing
     * has been sent to the client yet at that point, so the fallback is still possible; a stream that
     * breaks later is the caller's to report.
     *
     * <p>A request that offers tools or asks for JSON gets no stream: the aggregator is asked for a whole answer,
     * as by {@link #fuse}, and the result carries its text and tool calls. Such an answer must be checked whole
     * (JSON parsed, a schema matched, tool calls held to {@code tool_choice}) before any of it reaches the
     * client, and once chunks have been relayed, an answer found wrong can no longer be replaced by the vote.
     *
     * @param clients where the aggregator's client comes from
     * @throws NoAnswerException when no expert answered
     * @throws NoValidAnswerException when no answer, the aggregator's included, meets the request's constraints
     */
    FusionResult fuseStreaming(FusionInput input, Function<? super Expert, ? extends ExpertClient> clients);

    /**
     * A synthesis with no decision before it: the aggregator is asked even when the answers agree. For
     * measuring how well an aggregator fuses answers chosen to disagree.
     *
     * @param request whose conversation the answers respond to
     */
    PendingSynthesis synthesis(ChatRequest request, List<CandidateAnswer> answers, Expert aggregator);

    /**
     * Asks the aggregator for a whole answer; when it fails, or its answer breaks the request's constraints, the
     * weighted vote over the answers that meet them, with the aggregator's failure in the result.
     *
     * @param aggregator the client of the pending synthesis's aggregator
     * @throws NoValidAnswerException when neither the aggregator's answer nor any expert's meets the constraints
     */
    FusionResult synthesize(PendingSynthesis pending, ExpertClient aggregator);

    /**
     * Finishes a synthesis whose request the caller sent itself, with the aggregator's answer: its text and tool
     * calls when they meet the request's constraints; else the weighted vote, with an
     * {@link io.consilium.registry.ExpertProtocolException} saying what was wrong as the aggregator's failure.
     *
     * @throws NoValidAnswerException when neither the aggregator's answer nor any expert's meets the constraints
     */
    FusionResult synthesized(PendingSynthesis pending, ChatCompletion answer, Duration latency);

    /**
     * Finishes a synthesis whose request the caller sent itself and that failed: the weighted vote over the
     * answers that meet the request's constraints.
     *
     * @throws NoValidAnswerException when no expert's answer meets the constraints
     */
    FusionResult aggregatorFailed(PendingSynthesis pending, RuntimeException failure, Duration latency);
}
