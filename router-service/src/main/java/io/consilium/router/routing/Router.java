package io.consilium.router.routing;

import io.consilium.aggregator.FusionMode;
import io.consilium.profiler.ConversationText;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.ExpertRegistry;
import io.consilium.router.tracing.PipelineTracing;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Plans requests for the virtual models: classifies the request, ranks the experts that may answer it
 * ({@link Candidates}) and hands them to the {@link RoutingPolicy} of the request's strategy (Symbolic-MoE
 * recruitment with a dynamic k, CoE's single best expert, or the best value within a budget).
 */
@Component
public final class Router {

    public static final String AUTO = "consilium/auto";
    public static final String ROUTE = "consilium/route";

    private final QueryClassifier classifier;
    private final Candidates candidates;
    private final RegisteredAggregators aggregators;
    private final Recruitment recruitment;
    private final ConversationAffinity affinity;
    private final Map<Strategy, RoutingPolicy> policies = new EnumMap<>(Strategy.class);
    private final PipelineTracing tracing;

    Router(ExpertRegistry registry, ProfileService profiles, QueryClassifier classifier, RoutingConfig config,
            ToolCallMakers toolCallMakers, PipelineTracing tracing) {
        this.classifier = classifier;
        this.tracing = tracing;
        this.candidates = new Candidates(registry, profiles);
        this.aggregators = new RegisteredAggregators(registry, profiles);
        this.affinity = new ConversationAffinity(toolCallMakers);
        this.recruitment = new Recruitment(config, aggregators);
        for (RoutingPolicy policy : List.of(new SymbolicMoePolicy(recruitment), new CoePolicy(recruitment, profiles),
                new CostPolicy(recruitment, config))) {
            policies.put(policy.strategy(), policy);
        }
    }

    public static boolean isVirtual(String model) {
        return AUTO.equals(model) || ROUTE.equals(model);
    }

    /** @throws RoutingException when the request cannot be planned */
    public Plan plan(ChatRequest request, String model, RoutingOptions options) {
        SkillVector skills = tracing.observe(PipelineTracing.CLASSIFICATION, () -> classifier.classify(questionOf(request)),
                PlanObservations::describe);
        return tracing.observe(PipelineTracing.PLANNING, () -> plan(request, model, options, skills),
                PlanObservations::describe);
    }

    /**
     * Classifies the request as {@link #plan} does, for callers that need the skills (or the query embedding the
     * result carries) before planning: the answer cache. Plan with the result through the four-argument plan.
     */
    public SkillVector classify(ChatRequest request) {
        return classifier.classify(questionOf(request));
    }

    /** Classifies many requests in one batch, for callers that plan many at once (the Batch API). */
    public List<SkillVector> classifyAll(List<ChatRequest> requests) {
        return classifier.classifyAll(requests.stream().map(Router::questionOf).toList());
    }

    /**
     * Checks parsed options against the catalogue, for requests that are not planned (a direct call to an
     * expert): an option naming something that does not exist is refused whatever the model, never
     * silently ignored.
     *
     * @throws InvalidRoutingRequestException when the options name an aggregator that is not an enabled one, or
     *     ask for more than the caller's {@link RoutingCeiling} allows
     */
    public RoutingOptions check(RoutingOptions options) {
        RoutingCeiling.current().check(options);
        if (options.aggregator() != null) {
            aggregators.requested(options.aggregator());
        }
        return options;
    }

    /**
     * Plans with skills found beforehand by {@link #classifyAll}.
     *
     * @throws RoutingException when the request cannot be planned
     */
    public Plan plan(ChatRequest request, String model, RoutingOptions options, SkillVector skills) {
        // Checked even when the plan will not fuse (one expert, a vote, a route), so a typo is never ignored.
        check(options);
        boolean route = ROUTE.equals(model);
        RoutingCeiling ceiling = RoutingCeiling.current();
        Strategy strategy = options.strategy() != null ? options.strategy()
                : ceiling.strategyOr(route ? Strategy.COE : Strategy.SYMBOLIC_MOE);
        List<PlannedExpert> ranked = candidates.ranked(request, options, skills);
        // A tool conversation stays with the expert that made its calls, if that expert may still answer it.
        Optional<Affinity> continued = affinity.of(request);
        if (continued.isPresent()) {
            Optional<PlannedExpert> maker = ranked.stream()
                    .filter(planned -> planned.expert().id().equals(continued.get().expertId())).findFirst();
            if (maker.isPresent()) {
                return recruitment.continuing(strategy, skills, ranked, maker.get(), continued.get());
            }
        }
        return policies.get(strategy).plan(new RoutingPolicy.Input(request, skills, ranked, options, route, ceiling.k()));
    }

    /** What the classifier reads of a request: its last user turn in the context of the turn before. */
    public static String questionOf(ChatRequest request) {
        String question = ConversationText.of(request.body().path("messages"));
        return question.isBlank() ? "(empty)" : question;
    }
}
