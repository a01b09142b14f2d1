package io.consilium.router.cache;

import io.consilium.registry.ChatRequest;
import io.consilium.router.state.StateUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer cache as the chat path uses it: finds a request's key, looks it up exactly or by meaning, stores
 * fresh answers, and counts and reports what it did. The cache fails open: a store that cannot be reached makes a
 * miss, never a failed request.
 */
public final class AnswerCache {

    private static final Logger log = LoggerFactory.getLogger(AnswerCache.class);

    private final CacheMode mode;
    private final CacheProperties properties;
    private final AnswerStore store;
    private final CacheMetrics metrics;
    private final LongSupplier clock;

    AnswerCache(CacheProperties properties, AnswerStore store, CacheMetrics metrics, LongSupplier clock) {
        this.mode = properties.cacheMode();
        this.properties = properties;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Whether the cache does anything; when it does not, callers skip it entirely. */
    public boolean isOn() {
        return mode != CacheMode.OFF;
    }

    /**
     * The request's place in the cache, and whether it may be served from it or stored in it: not when the
     * client opted out ({@code Cache-Control}, or {@code "consilium": {"cache": false}}), nor when its answer is
     * not cached at all (see {@link CacheKeys#of}).
     */
    public Lookup lookup(ChatRequest request, CacheScope scope) {
        JsonNode body = request.body();
        boolean optedOut = !body.path("consilium").path("cache").asBoolean(true);
        boolean noStore = optedOut || scope.noStore();
        boolean noLookup = noStore || scope.noLookup();
        CacheKey key = noLookup && noStore ? null : CacheKeys.of(body, scope.owner()).orElse(null);
        return new Lookup(key, scope, key != null && !noLookup, key != null && !noStore);
    }

    /** The answer stored for exactly this request, if it may be served one. */
    public Optional<CacheHit> exact(Lookup lookup) {
        if (!lookup.mayServe()) {
            return Optional.empty();
        }
        return guarded(() -> store.exact(lookup.key()));
    }

    /**
     * Whether a request's question may be matched by meaning: the cache is semantic and the question short
     * enough for the classifier's encoder to read whole.
     *
     * @param question the text the classifier reads of the request
     */
    public boolean matchesByMeaning(Lookup lookup, String question) {
        return mode == CacheMode.SEMANTIC && lookup.mayServe() && question.length() <= properties.semanticMaxChars();
    }

    /** The answer to the most similar question in the request's partition, if it is similar enough. */
    public Optional<CacheHit> similar(Lookup lookup, float[] embedding) {
        return guarded(() -> store.similar(lookup.key(), embedding, properties.similarityThreshold()));
    }

    /** Counts and reports a hit. */
    public void served(Lookup lookup, CacheHit hit) {
        metrics.count(CacheOutcome.of(hit.kind()));
        metrics.saved(hit.answer().costUsd());
        lookup.scope().report(CacheOutcome.of(hit.kind()));
    }

    /** Counts and reports that the request will be answered afresh. */
    public void missed(Lookup lookup) {
        CacheOutcome outcome = lookup.mayServe() ? CacheOutcome.MISS : CacheOutcome.BYPASS;
        metrics.count(outcome);
        lookup.scope().report(outcome);
    }

    /**
     * Keeps a fresh answer, when the request may be stored and the answer is a finished one.
     *
     * @param completion the {@code chat.completion} its client got, {@code consilium} object included; copied
     * @param embedding the question's embedding when it was computed, so later questions can match it by meaning
     */
    public void store(Lookup lookup, ObjectNode completion, float @Nullable [] embedding) {
        if (!lookup.mayStore() || !finished(completion)) {
            return;
        }
        JsonNode metadata = completion.path("consilium");
        CachedAnswer answer = new CachedAnswer(lookup.key().exact(), embedding, completion.deepCopy(),
                costOf(metadata), expertsOf(metadata), clock.getAsLong() + properties.ttl().toMillis());
        try {
            store.put(lookup.key(), answer);
        } catch (StateUnavailableException e) {
            log.warn("An answer could not be cached: {}", e.getMessage());
        }
    }

    /** Drops cached answers, one owner's or all; returns how many partitions went. */
    public long purge(@Nullable String owner) {
        return store.purge(owner);
    }

    /** Only whole answers are kept: one that stopped at a length limit or a content filter is not repeated. */
    private static boolean finished(ObjectNode completion) {
        JsonNode choices = completion.path("choices");
        if (choices.size() != 1) {
            return false;
        }
        String reason = choices.get(0).path("finish_reason").asString("");
        return reason.equals("stop") || reason.equals("tool_calls");
    }

    private static double costOf(JsonNode metadata) {
        double cost = metadata.path("aggregator_call").path("cost_usd").asDouble(0);
        for (JsonNode expert : metadata.path("experts")) {
            cost += expert.path("cost_usd").asDouble(0);
        }
        return cost;
    }

    private static List<String> expertsOf(JsonNode metadata) {
        List<String> experts = new ArrayList<>();
        for (JsonNode expert : metadata.path("experts")) {
            if ("ok".equals(expert.path("outcome").asString())) {
                experts.add(expert.path("id").asString());
            }
        }
        String aggregator = metadata.path("aggregator").asString("");
        if (!aggregator.isEmpty() && !experts.contains(aggregator)) {
            experts.add(aggregator);
        }
        return experts;
    }

    private Optional<CacheHit> guarded(java.util.function.Supplier<Optional<CacheHit>> lookUp) {
        try {
            return lookUp.get();
        } catch (StateUnavailableException e) {
            log.warn("The answer cache could not be read; answering afresh: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * One request's place in the cache.
     *
     * @param key null when the request is not cached
     * @param mayServe whether a cached answer may be served to it
     * @param mayStore whether its fresh answer may be stored
     */
    public record Lookup(@Nullable CacheKey key, CacheScope scope, boolean mayServe, boolean mayStore) {

        @Override
        public CacheKey key() {
            return java.util.Objects.requireNonNull(key, "a request that is not cached has no key");
        }
    }
}
