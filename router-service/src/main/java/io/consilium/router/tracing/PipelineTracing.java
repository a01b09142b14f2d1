package io.consilium.router.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Observes the steps of a request's walk, each a child of the step it runs in (the request's own server span at
 * the top). When tracing is off the steps run bare: no observation is made, so a request pays nothing for them.
 */
public final class PipelineTracing {

    /** The skill classification of a request. */
    public static final String CLASSIFICATION = "consilium.classification";
    /** The choice of experts and aggregator for a request. */
    public static final String PLANNING = "consilium.planning";
    /** The fusion of the experts' answers, the aggregator's call within it. */
    public static final String FUSION = "consilium.fusion";
    /** A look-up in the answer cache (for a question matched by meaning, its classification within). */
    public static final String CACHE_LOOKUP = "consilium.cache.lookup";

    /** The skills found, as {@code id:score} pairs, best first. */
    public static final String SKILLS = "consilium.skills";
    /** Whether the classifier was unsure of the skills. */
    public static final String UNCERTAIN = "consilium.uncertain";
    /** The experts the plan recruited, by id. */
    public static final String EXPERTS = "consilium.experts";
    /** The routing strategy used. */
    public static final String STRATEGY = "consilium.strategy";
    /** How many experts the plan recruited. */
    public static final String K = "consilium.k";
    /** The fusion mode planned or used. */
    public static final String FUSION_MODE = "consilium.fusion";
    /** Whether the answers agreed so that no synthesis was needed. */
    public static final String CONSENSUS = "consilium.consensus";
    /** What the cache look-up found: {@code exact}, {@code semantic} or {@code miss}. */
    public static final String CACHE = "consilium.cache";
    /** The aggregator planned. */
    public static final String AGGREGATOR = "consilium.aggregator";

    private final ObservationRegistry steps;
    private final ObservationRegistry requests;

    /**
     * @param steps where the steps are observed; {@link ObservationRegistry#NOOP} when tracing is off
     * @param requests the registry that observes the HTTP requests, whose current observation parallel work carries
     */
    PipelineTracing(ObservationRegistry steps, ObservationRegistry requests) {
        this.steps = steps;
        this.requests = requests;
    }

    /** Steps that are never observed, for code run without the service. */
    public static PipelineTracing off() {
        return new PipelineTracing(ObservationRegistry.NOOP, ObservationRegistry.NOOP);
    }

    /**
     * Runs a step inside its observation.
     *
     * @param describe adds what the step found to its observation, as key values (never prompts or answers)
     */
    public <T> T observe(String step, Supplier<T> work, BiConsumer<Observation, T> describe) {
        if (steps.isNoop()) {
            return work.get();
        }
        Observation observation = Observation.start(step, steps);
        try (Observation.Scope scope = observation.openScope()) {
            T result = work.get();
            describe.accept(observation, result);
            return result;
        } catch (RuntimeException | Error failure) {
            observation.highCardinalityKeyValue("error.type", failure.getClass().getSimpleName());
            throw failure;
        } finally {
            observation.stop();
        }
    }

    /**
     * The task, to run on another thread as part of the observation current here: its spans are children of
     * that observation, and its upstream requests carry the same trace. The task itself when there is none.
     */
    public Runnable inCurrentObservation(Runnable task) {
        Observation current = requests.getCurrentObservation();
        if (current == null) {
            return task;
        }
        return () -> {
            try (Observation.Scope scope = current.openScope()) {
                task.run();
            }
        };
    }
}
