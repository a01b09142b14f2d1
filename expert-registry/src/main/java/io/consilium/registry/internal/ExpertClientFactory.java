package io.consilium.registry.internal;

import io.consilium.registry.BuiltinModels;
import io.consilium.registry.EgressPolicy;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertClient;
import io.consilium.registry.ExpertClients;
import io.consilium.registry.ExpertHealth;
import io.consilium.registry.ExpertTracing;
import io.consilium.registry.InvalidExpertException;
import io.consilium.registry.LocalModelSettings;
import io.consilium.registry.Provider;
import io.consilium.registry.ResilienceSettings;
import io.consilium.registry.UpstreamHttpSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds one resilient client per expert and keeps it until the expert's definition changes. Every
 * client checks its expert's address against the egress policy before each call, and is observed once per
 * call around all its guards; local experts share one residency manager for their models.
 */
public final class ExpertClientFactory implements ExpertClients {

    private final ExpertResilience resilience;
    private final ExpertCallObserver observer;
    private final EgressPolicy egress;
    private final ConcurrentMap<String, ExpertClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("expert-deadlines").daemon(true).factory());
    private final UpstreamTransport http;
    private final JsonMapper json = JsonMapper.builder().build();
    private final LocalModelSettings local;
    private final LocalModelResidency residency;
    private final BuiltinModels builtins;
    private final AttemptObservations attempts;
    /**
     * Every upstream text comes from a client built here, and a client is built for a definition before its
     * first call, on every replica however the expert was registered: so this is where keys are learnt.
     */
    private final SecretRedaction redaction = new SecretRedaction();

    public ExpertClientFactory(ResilienceSettings settings, MeterRegistry meters) {
        this(settings, meters, EgressPolicy.ofDefaults());
    }

    public ExpertClientFactory(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress) {
        this(settings, meters, egress, LocalModelSettings.ofDefaults());
    }

    public ExpertClientFactory(
            ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress, LocalModelSettings local) {
        this(settings, meters, egress, local, UpstreamHttpSettings.ofDefaults());
    }

    public ExpertClientFactory(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local, UpstreamHttpSettings upstreamHttp) {
        this(settings, meters, egress, local, upstreamHttp, BuiltinModels.none());
    }

    /** @param builtins the models experts of provider builtin may name; their owner closes them */
    public ExpertClientFactory(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local, UpstreamHttpSettings upstreamHttp, BuiltinModels builtins) {
        this(settings, meters, egress, local, upstreamHttp, builtins, ExpertTracing.none());
    }

    /** @param tracing how attempts are observed and which trace headers upstream requests carry */
    public ExpertClientFactory(ResilienceSettings settings, MeterRegistry meters, EgressPolicy egress,
            LocalModelSettings local, UpstreamHttpSettings upstreamHttp, BuiltinModels builtins, ExpertTracing tracing) {
        this.builtins = builtins;
        this.attempts = new AttemptObservations(tracing);
        this.resilience = new ExpertResilience(settings, meters);
        this.observer = new ExpertCallObserver(meters);
        this.egress = egress;
        this.local = local;
        this.residency = new LocalModelResidency(local, meters, json);
        UpstreamTransport transport = UpstreamTransport.of(upstreamHttp, callers);
        this.http = tracing == ExpertTracing.none() ? transport : new TracedUpstreamTransport(transport, tracing);
    }

    @Override
    public ExpertClient clientFor(Expert expert) {
        // Every request asks; a plain read keeps the common case free of the map's per-key lock.
        ExpertClient current = clients.get(expert.id());
        if (current != null && current.expert().equals(expert)) {
            return current;
        }
        return clients.compute(expert.id(), (id, existing) ->
                existing != null && existing.expert().equals(expert) ? existing : build(expert));
    }

    @Override
    public EgressPolicy egressPolicy() {
        return egress;
    }

    @Override
    public boolean supports(Provider provider) {
        return switch (provider) {
            case OPENAI, OLLAMA, ANTHROPIC, MOCK, ONNX, BUILTIN -> true;
        };
    }

    /** A local expert's model directory must hold a usable model that fits the memory budget. */
    @Override
    public void check(Expert expert) {
        String model = expert.model();
        if (expert.provider() == Provider.BUILTIN && (model == null || !builtins.names().contains(model))) {
            throw new InvalidExpertException("model", model, "must name a built-in model, one of "
                    + builtins.names().stream().sorted().toList());
        }
        String modelPath = expert.modelPath();
        if (expert.provider() != Provider.ONNX || modelPath == null) {
            return; // the Expert builder already requires a model path for onnx
        }
        LocalModelFiles files;
        try {
            files = LocalModelFiles.inspect(Path.of(modelPath), json);
        } catch (InvalidPathException e) {
            throw new InvalidExpertException("model-path", modelPath, "is not a valid path");
        } catch (MalformedModelException e) {
            throw new InvalidExpertException("model-path", modelPath, "is not a usable ONNX model directory: "
                    + e.getMessage());
        }
        if (files.footprintBytes() > local.memoryBudgetBytes()) {
            throw new InvalidExpertException("model-path", modelPath, "holds a model of about " + files.footprintBytes()
                    + " bytes, more than the local model memory budget of " + local.memoryBudgetBytes() + " bytes");
        }
    }

    @Override
    public ExpertHealth health(String expertId) {
        ExpertHealth circuit = resilience.circuitBreaker(expertId)
                .map(breaker -> switch (breaker.getState()) {
                    case OPEN, FORCED_OPEN -> ExpertHealth.CIRCUIT_OPEN;
                    case HALF_OPEN -> ExpertHealth.RECOVERING;
                    default -> ExpertHealth.HEALTHY;
                })
                .orElse(ExpertHealth.HEALTHY);
        return circuit != ExpertHealth.CIRCUIT_OPEN && resilience.isHeldByRetryAfter(expertId)
                ? ExpertHealth.RATE_LIMITED : circuit;
    }

    @Override
    public void forget(String expertId) {
        clients.remove(expertId);
        resilience.forget(expertId);
        redaction.forget(expertId);
    }

    @Override
    public void close() {
        clients.clear();
        residency.close();
        deadlines.shutdownNow();
        callers.shutdownNow();
        http.close();
    }

    private ExpertClient build(Expert expert) {
        redaction.remember(expert);
        ExpertClient wire = switch (expert.provider()) {
            case OPENAI, OLLAMA -> new OpenAiCompatibleClient(expert, http, json, egress, redaction);
            case ANTHROPIC -> new AnthropicExpertClient(expert, http, json, egress, redaction);
            case MOCK -> new MockExpertClient(expert, json);
            case ONNX -> new LocalExpertClient(expert, residency, local, json);
            case BUILTIN -> new BuiltinExpertClient(expert, builtins.embedder(String.valueOf(expert.model()))
                    .orElseThrow(() -> new InvalidExpertException("model", expert.model(), "must name a built-in model")));
        };
        // Observation outermost: a call is observed once, whatever retries and guards it went through.
        // Native model code ignores interrupts; every other client stops when its thread is interrupted.
        boolean stopsOnInterrupt = expert.provider() != Provider.ONNX && expert.provider() != Provider.BUILTIN;
        return new ObservedExpertClient(new ResilientExpertClient(wire, resilience.renew(expert), callers, deadlines,
                stopsOnInterrupt, attempts), observer);
    }
}
