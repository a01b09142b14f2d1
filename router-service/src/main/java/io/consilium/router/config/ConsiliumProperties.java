package io.consilium.router.config;

import io.consilium.profiler.ClassifierSettings;

import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Reachability;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.UpstreamHttpSettings;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything under {@code consilium.*}. Bound once at start-up and turned into the immutable settings
 * the libraries take.
 *
 * @param taxonomyFile optional YAML file of skills to add, or exemplars to add to known skills, at start-up
 * @param api limits of the HTTP API
 * @param resilience shared resilience settings for every expert
 * @param classifier the query classifier
 * @param feedback how long completions can be scored
 * @param profiling profiling jobs and the synthesis prompt
 * @param routing how experts are recruited for the virtual models
 * @param store where shared state lives: {@code memory} (one process) or {@code redis} (shared by replicas)
 * @param redis the Redis connection, for store {@code redis}
 * @param auth API keys, the admin key and rate limits
 * @param security secrets at rest and which upstream addresses may be called
 * @param localModels how ONNX experts run in this process
 * @param batching how requests for experts that answer in batches (local models) are gathered
 * @param http how remote experts are called over HTTP
 * @param healthChecks the active checks that keep unreachable remote experts out of plans
 */
@ConfigurationProperties("consilium")
public record ConsiliumProperties(
        @Nullable String taxonomyFile,
        @DefaultValue Api api,
        @DefaultValue Resilience resilience,
        @DefaultValue Classifier classifier,
        @DefaultValue Feedback feedback,
        @DefaultValue Profiling profiling,
        @DefaultValue Routing routing,
        @DefaultValue("memory") String store,
        @DefaultValue Redis redis,
        @DefaultValue Auth auth,
        @DefaultValue Security security,
        @DefaultValue LocalModels localModels,
        @DefaultValue Batching batching,
        @DefaultValue Http http,
        @DefaultValue HealthChecks healthChecks) {

    /**
     * @param enabled whether remote experts are checked at all; without checks none is held back
     * @param interval time between checks of a reachable expert, and the longest wait after failures
     * @param firstRetry wait before checking again after a first failure, doubling with each further one
     * @param connectTimeout how long one connection attempt may take
     */
    public record HealthChecks(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("30s") Duration interval,
            @DefaultValue("5s") Duration firstRetry,
            @DefaultValue("2s") Duration connectTimeout) {

        public Reachability.Settings toSettings() {
            return new Reachability.Settings(interval, firstRetry, connectTimeout);
        }
    }

    /**
     * @param memoryBudget total size of the local models kept loaded; the least recently used is unloaded
     *     when a load would exceed it
     * @param maxBatchSize most prompts one model pass answers together
     * @param intraOpThreads threads one ONNX inference may use; 0 means one per core
     * @param defaultMaxTokens tokens generated when a request sets no limit
     */
    public record LocalModels(
            @DefaultValue("2GB") DataSize memoryBudget,
            @DefaultValue("8") int maxBatchSize,
            @DefaultValue("0") int intraOpThreads,
            @DefaultValue("256") int defaultMaxTokens) {

        public LocalModelSettings toSettings() {
            LocalModelSettings.Builder builder = LocalModelSettings.custom()
                    .memoryBudgetBytes(memoryBudget.toBytes())
                    .maxBatchSize(maxBatchSize)
                    .defaultMaxTokens(defaultMaxTokens);
            return (intraOpThreads > 0 ? builder.intraOpThreads(intraOpThreads) : builder).build();
        }
    }

    /**
     * @param client the HTTP client remote experts are called through: {@code jdk} or {@code jetty}
     * @param connectTimeout how long opening a connection to an upstream may take
     * @param maxConnectionsPerUpstream most connections open at once to one upstream (the Jetty client only)
     */
    public record Http(
            @DefaultValue("jetty") UpstreamHttpSettings.Client client,
            @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("256") int maxConnectionsPerUpstream) {

        public UpstreamHttpSettings toSettings() {
            return UpstreamHttpSettings.custom()
                    .client(client)
                    .connectTimeout(connectTimeout)
                    .maxConnectionsPerUpstream(maxConnectionsPerUpstream)
                    .build();
        }
    }

    public boolean redisStore() {
        return "redis".equals(store);
    }

    /**
     * @param url {@code redis://host:port[/db]} or {@code rediss://…} for TLS
     * @param password overrides a password in the URL
     * @param username overrides a user in the URL (Redis ACL)
     * @param connectTimeout how long connecting may take
     * @param commandTimeout how long one command may take before the call counts as "Redis unavailable"
     * @param resyncInterval how often local copies are reloaded in full, in case a change event was missed
     */
    public record Redis(
            @DefaultValue("redis://127.0.0.1:6379") String url,
            @Nullable String password,
            @Nullable String username,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("1s") Duration commandTimeout,
            @DefaultValue("30s") Duration resyncInterval) {}

    /**
     * Online batching, for experts that answer several requests in one pass (local models); remote experts
     * are not batched, their concurrency limit is enough.
     *
     * @param window how long requests for a busy expert are gathered before they run as one batch; a request
     *     to an idle expert starts at once
     * @param maxBatchSize the most requests one batch holds
     */
    public record Batching(@DefaultValue("5ms") Duration window, @DefaultValue("8") int maxBatchSize) {}

    /**
     * @param anonymous let {@code /v1/*} through without an API key
     * @param adminKey the admin key; generated and logged once at first start when unset
     * @param rateLimitFailOpen when the rate-limit counters cannot be reached, let requests through
     *     (true) or refuse them with a 503 (false)
     */
    public record Auth(
            @DefaultValue("false") boolean anonymous,
            @Nullable String adminKey,
            @DefaultValue("true") boolean rateLimitFailOpen) {}

    /**
     * @param masterKey encrypts provider api-keys and the questions remembered for feedback at rest (any
     *     string of at least 16 characters, or base64 of 32 bytes); required with store {@code redis}
     * @param allowPrivateNetworks allow experts on private addresses (10/8, 172.16/12, 192.168/16, fc00::/7)
     * @param allowLoopback allow experts on this host (127.0.0.0/8, ::1)
     */
    public record Security(
            @Nullable String masterKey,
            @DefaultValue("true") boolean allowPrivateNetworks,
            @DefaultValue("true") boolean allowLoopback) {}

    /**
     * @param defaultK experts recruited when nothing argues for more or fewer
     * @param maxK experts recruited when the classification is uncertain
     * @param dominance the best expert recruited alone when its score is this many times the runner-up's
     * @param confidentProbability a top skill this probable recruits one expert fewer
     * @param reserves next-best experts kept ready to replace one that fails
     * @param deadline the whole request's deadline, experts and aggregator included
     * @param expectedCompletionTokens completion length assumed for cost estimates without max_tokens
     */
    public record Routing(
            @DefaultValue("3") int defaultK,
            @DefaultValue("5") int maxK,
            @DefaultValue("1.3") double dominance,
            @DefaultValue("0.8") double confidentProbability,
            @DefaultValue("2") int reserves,
            @DefaultValue("60s") Duration deadline,
            @DefaultValue("512") int expectedCompletionTokens) {}

    /**
     * @param rememberFor how long after a completion feedback is accepted
     * @param rememberedCompletions most completions remembered at once
     */
    public record Feedback(@DefaultValue("24h") Duration rememberFor, @DefaultValue("20000") long rememberedCompletions) {}

    /**
     * @param keepJobs finished jobs whose status is kept
     * @param synthesisPromptFile a text file replacing the built-in aggregator instructions
     */
    public record Profiling(@DefaultValue("100") int keepJobs, @Nullable String synthesisPromptFile) {}

    /**
     * The query classifier.
     *
     * @param type {@code builtin} (sentence embeddings and a head trained on the taxonomy's exemplars) or
     *     {@code onnx} (your own sequence-classification model)
     * @param maxTokens tokens of a query that are read
     * @param tailTokens of those, how many come from the end of a longer query (where its question usually
     *     is); the rest come from its start
     * @param skipFillerWords whether a longer query is read without its filler words (built-in type only)
     * @param firstReading the shorter window a longer query is read through first (built-in type only)
     * @param intraOpThreads threads one ONNX inference may use
     * @param cacheSize results remembered by normalised text; 0 turns the cache off
     * @param maxInputChars longest input {@code /v1/classify} accepts
     * @param minTopProbability below this top probability a result is uncertain
     * @param minMargin below this lead of the top skill over the second a result is uncertain
     * @param onnx the bring-your-own model, for type {@code onnx}
     */
    public record Classifier(
            @DefaultValue("builtin") String type,
            @DefaultValue("96") int maxTokens,
            @DefaultValue("64") int tailTokens,
            @DefaultValue("false") boolean skipFillerWords,
            @DefaultValue FirstReading firstReading,
            @DefaultValue("1") int intraOpThreads,
            @DefaultValue("10000") int cacheSize,
            @DefaultValue("8000") int maxInputChars,
            @DefaultValue("0.4") double minTopProbability,
            @DefaultValue("0.35") double minMargin,
            @DefaultValue Onnx onnx) {

        /**
         * A Hugging Face sequence-classification model exported to ONNX.
         *
         * @param modelPath the {@code model.onnx} file
         * @param tokenizerPath the {@code tokenizer.json} file
         * @param labels the skill id of each output logit, in order
         */
        public record Onnx(@Nullable String modelPath, @Nullable String tokenizerPath, @DefaultValue List<String> labels) {}

        /**
         * A query longer than this window is read through it instead of the full window, and its opening is
         * read too when that first reading is uncertain.
         *
         * @param maxTokens tokens read; 0 reads every query through the full window
         * @param tailTokens of those, how many come from the end of the query
         * @param skipFillerWords whether filler words are left out before the window is taken
         * @param openingTokens tokens of the query's opening read when the first reading is uncertain
         */
        public record FirstReading(@DefaultValue("64") int maxTokens, @DefaultValue("56") int tailTokens,
                @DefaultValue("true") boolean skipFillerWords, @DefaultValue("40") int openingTokens) {

            public ClassifierSettings.FirstReading toSettings() {
                return new ClassifierSettings.FirstReading(maxTokens, tailTokens, skipFillerWords, openingTokens);
            }
        }
    }

    /**
     * @param maxBodySize largest request body accepted
     * @param maxMessages most messages one chat request may carry
     * @param disconnectCheckInterval how often a request waiting on experts checks that its client is
     *     still connected (a client that left stops the expert calls); zero turns the check off
     */
    public record Api(@DefaultValue("10MB") DataSize maxBodySize,
            @DefaultValue("250ms") Duration disconnectCheckInterval,
            @DefaultValue("1000") int maxMessages) {}

    /** Mirrors {@link ResilienceSettings}; see there for the meaning of each value. */
    public record Resilience(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("10") int slidingWindowSize,
            @DefaultValue("5") int minimumCalls,
            @DefaultValue("10s") Duration openStateWait,
            @DefaultValue("2") int halfOpenCalls,
            @DefaultValue("2") int maxRetries,
            @DefaultValue("200ms") Duration initialBackoff,
            @DefaultValue("2") double backoffMultiplier,
            @DefaultValue("0.5") double jitter,
            @DefaultValue("500ms") Duration bulkheadMaxWait,
            @DefaultValue("5m") Duration maxRetryAfter) {

        public ResilienceSettings toSettings() {
            return ResilienceSettings.custom()
                    .failureRateThreshold(failureRateThreshold)
                    .slidingWindowSize(slidingWindowSize)
                    .minimumCalls(minimumCalls)
                    .openStateWait(openStateWait)
                    .halfOpenCalls(halfOpenCalls)
                    .maxRetries(maxRetries)
                    .initialBackoff(initialBackoff)
                    .backoffMultiplier(backoffMultiplier)
                    .jitter(jitter)
                    .bulkheadMaxWait(bulkheadMaxWait)
                    .maxRetryAfter(maxRetryAfter)
                    .build();
        }
    }
}
