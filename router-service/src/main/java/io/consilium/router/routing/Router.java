package io.consilium.router.routing;

import io.consilium.aggregator.FusionMode;
import io.consilium.profiler.ProfileService;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Modality;
import io.consilium.registry.Role;
import io.consilium.router.api.ApiException;
import io.consilium.router.config.ConsiliumProperties;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Turns a request for a virtual model into a {@link Plan}: classifies it, scores the eligible experts
 * by skill-weighted competence times global competence, and applies the strategy (Symbolic-MoE
 * recruitment with a dynamic k, CoE's single best expert, or the best value within a budget).
 */
@Component
public final class Router {

    public static final String AUTO = "consilium/auto";
    public static final String ROUTE = "consilium/route";
    /** Skills this improbable do not move a score. */
    private static final double MIN_SKILL_PROBABILITY = 0.01;
    private static final int DRIVING_SKILLS = 3;

    private final ExpertRegistry registry;
    private final ProfileService profiles;
    private final QueryClassifier classifier;
    private final ConsiliumProperties.Routing settings;

    Router(ExpertRegistry registry, ProfileService profiles, QueryClassifier classifier, ConsiliumProperties properties) {
        this.registry = registry;
        this.profiles = profiles;
        this.classifier = classifier;
        this.settings = properties.routing();
    }

    public static boolean isVirtual(String model) {
        return AUTO.equals(model) || ROUTE.equals(model);
    }

    public Plan plan(ChatRequest request, String model, RoutingOptions options) {
        return plan(request, model, options, classifier.classify(questionOf(request)));
    }

    /** Classifies many requests in one batch, for callers that plan many at once (the Batch API). */
    public List<SkillVector> classifyAll(List<ChatRequest> requests) {
        return classifier.classifyAll(requests.stream().map(Router::questionOf).toList());
    }

    /**
     * Reads a request's {@code consilium} options and checks them against the catalogue, for requests that
     * are not planned (a direct call to an expert): an option naming something that does not exist is a
     * 400 whatever the model, never silently ignored.
     */
    public RoutingOptions options(JsonNode field) {
        RoutingOptions options = RoutingOptions.parse(field);
        if (options.aggregator() != null) {
            requestedAggregator(options.aggregator());
        }
        return options;
    }

    /** Plans with skills found beforehand by {@link #classifyAll}. */
    public Plan plan(ChatRequest request, String model, RoutingOptions options, SkillVector skills) {
        // Checked even when the plan will not fuse (one expert, a vote, a route), so a typo is never ignored.
        if (options.aggregator() != null) {
            requestedAggregator(options.aggregator());
        }
        boolean route = ROUTE.equals(model);
        Strategy strategy = options.strategy() != null ? options.strategy() : route ? Strategy.COE : Strategy.SYMBOLIC_MOE;
        List<PlannedExpert> ranked = eligible(request, options).stream()
                .map(expert -> scored(expert, skills))
                .sorted(Comparator.comparingDouble(PlannedExpert::score).reversed()
                        .thenComparing(planned -> planned.expert().id()))
                .toList();
        if (ranked.isEmpty()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", "no_expert_available",
                    null, "No enabled, healthy expert may answer this request"
                    + (request.hasImageInput() ? " (it carries images)" : "") + ".", java.time.Duration.ofSeconds(5));
        }
        return switch (strategy) {
            case COE -> single(Strategy.COE, skills, coeOrder(ranked, skills));
            case SYMBOLIC_MOE -> route ? single(Strategy.SYMBOLIC_MOE, skills, ranked)
                    : recruit(Strategy.SYMBOLIC_MOE, skills, ranked, kFor(options, ranked, skills), options);
            case COST -> route ? single(Strategy.COST, skills, affordable(request, options, ranked))
                    : recruit(Strategy.COST, skills, affordable(request, options, ranked),
                            kFor(options, ranked, skills), options);
        };
    }

    /** What the request asks: its last user message, or all of its text when that is empty. */
    private static String questionOf(ChatRequest request) {
        String question = request.lastUserText();
        if (!question.isBlank()) {
            return question;
        }
        StringBuilder all = new StringBuilder();
        for (JsonNode message : request.body().path("messages")) {
            all.append(message.path("content").asString("")).append(' ');
        }
        return all.isEmpty() || all.toString().isBlank() ? "(empty)" : all.toString();
    }

    private List<Expert> eligible(ChatRequest request, RoutingOptions options) {
        for (String id : union(options.allow(), options.deny())) {
            if (registry.find(id).isEmpty()) {
                throw ApiException.invalidRequest(options.allow().contains(id) ? "consilium.experts.allow"
                        : "consilium.experts.deny", "No expert with id '" + id + "'.");
            }
        }
        boolean needsImages = request.hasImageInput();
        return registry.enabled().stream()
                .filter(expert -> expert.hasRole(Role.EXPERT))
                .filter(expert -> options.allow().isEmpty() || options.allow().contains(expert.id()))
                .filter(expert -> !options.deny().contains(expert.id()))
                .filter(expert -> !needsImages || expert.accepts(Modality.IMAGE))
                .filter(expert -> registry.health(expert.id()).takesCalls())
                .toList();
    }

    /** score(e) = Σ p(s|q) · competence(e, s), times the expert's global competence. */
    private PlannedExpert scored(Expert expert, SkillVector skills) {
        List<SkillScore> contributions = new ArrayList<>();
        double local = 0;
        for (SkillScore skill : skills.skills()) {
            if (skill.score() < MIN_SKILL_PROBABILITY) {
                continue;
            }
            double contribution = skill.score() * profiles.competence(expert, skill.id());
            contributions.add(new SkillScore(skill.id(), contribution));
            local += contribution;
        }
        contributions.sort(Comparator.comparingDouble(SkillScore::score).reversed());
        double score = local * profiles.globalCompetence(expert);
        return new PlannedExpert(expert, score, contributions.subList(0, Math.min(DRIVING_SKILLS, contributions.size())));
    }

    /** CoE: the best expert at the top skill, or the best generalist when the classifier is unsure. */
    private List<PlannedExpert> coeOrder(List<PlannedExpert> ranked, SkillVector skills) {
        Comparator<PlannedExpert> order = skills.uncertain()
                ? Comparator.comparingDouble(planned -> profiles.globalCompetence(planned.expert()))
                : Comparator.comparingDouble(planned -> profiles.competence(planned.expert(), skills.top().id()));
        List<PlannedExpert> sorted = new ArrayList<>(ranked);
        sorted.sort(order.reversed().thenComparing(Comparator.comparingDouble(PlannedExpert::score).reversed()));
        return sorted;
    }

    /** Fewer experts when one clearly dominates or the skills are clear; the most when they are not. */
    private int kFor(RoutingOptions options, List<PlannedExpert> ranked, SkillVector skills) {
        if (options.k() != null) {
            return Math.min(options.k(), ranked.size());
        }
        int k;
        if (skills.uncertain()) {
            k = settings.maxK();
        } else if (ranked.size() > 1 && ranked.get(0).score() >= settings.dominance() * ranked.get(1).score()) {
            k = 1;
        } else if (skills.top().score() >= settings.confidentProbability()) {
            k = Math.max(1, settings.defaultK() - 1);
        } else {
            k = settings.defaultK();
        }
        return Math.max(1, Math.min(k, ranked.size()));
    }

    private Plan single(Strategy strategy, SkillVector skills, List<PlannedExpert> ordered) {
        return new Plan(strategy, skills, ordered.subList(0, 1), reserves(ordered, 1), null, FusionMode.NONE);
    }

    private Plan recruit(Strategy strategy, SkillVector skills, List<PlannedExpert> ordered, int k, RoutingOptions options) {
        int recruited = Math.min(k, ordered.size());
        FusionMode fusion = recruited == 1 ? FusionMode.NONE
                : options.fusion() != null ? options.fusion() : FusionMode.SYNTHESIZE;
        Expert aggregator = null;
        if (fusion == FusionMode.SYNTHESIZE) {
            aggregator = aggregator(options);
            if (aggregator == null) {
                fusion = FusionMode.VOTE;
            }
        }
        return new Plan(strategy, skills, ordered.subList(0, recruited), reserves(ordered, recruited), aggregator, fusion);
    }

    private List<PlannedExpert> reserves(List<PlannedExpert> ordered, int from) {
        return ordered.subList(from, Math.min(ordered.size(), from + settings.reserves()));
    }

    /** The requested aggregator, or the healthy one with the best measured fusion score. */
    private @Nullable Expert aggregator(RoutingOptions options) {
        if (options.aggregator() != null) {
            return requestedAggregator(options.aggregator());
        }
        return profiles.bestAggregator(registry.enabled().stream()
                .filter(expert -> registry.health(expert.id()).takesCalls()).toList()).orElse(null);
    }

    /** The aggregator a request names; it must be registered, enabled and have the aggregator role. */
    private Expert requestedAggregator(String id) {
        Expert chosen = registry.find(id).orElseThrow(() -> ApiException.invalidRequest("consilium.aggregator",
                "No expert with id '" + id + "'; 'consilium.aggregator' must name an enabled expert with the"
                        + " aggregator role."));
        if (!chosen.enabled() || !chosen.hasRole(Role.AGGREGATOR)) {
            throw ApiException.invalidRequest("consilium.aggregator",
                    "The expert '" + chosen.id() + "' is not an enabled aggregator.");
        }
        return chosen;
    }

    /**
     * Experts by expected competence per expected dollar, keeping only what fits the budget together.
     * Free experts (mocks, local models) come first.
     */
    private List<PlannedExpert> affordable(ChatRequest request, RoutingOptions options, List<PlannedExpert> ranked) {
        long promptTokens = Math.max(1, request.body().path("messages").toString().length() / 4);
        long completionTokens = request.body().path("max_completion_tokens").asLong(
                request.body().path("max_tokens").asLong(settings.expectedCompletionTokens()));
        List<PlannedExpert> byValue = new ArrayList<>(ranked);
        byValue.sort(Comparator.comparingDouble((PlannedExpert planned) ->
                planned.score() / (planned.expert().cost().priceOf(promptTokens, completionTokens) + 1e-9)).reversed());
        if (options.maxCostUsd() == null) {
            return byValue;
        }
        List<PlannedExpert> within = new ArrayList<>();
        double spent = 0;
        for (PlannedExpert planned : byValue) {
            double cost = planned.expert().cost().priceOf(promptTokens, completionTokens);
            if (spent + cost <= options.maxCostUsd()) {
                within.add(planned);
                spent += cost;
            }
        }
        if (within.isEmpty()) {
            throw ApiException.invalidRequest("consilium.max_cost_usd",
                    "No expert can answer within " + options.maxCostUsd() + " USD for this request.");
        }
        return within;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
