package io.consilium.router.routing;

import io.consilium.profiler.ProfileService;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.ChatRequest;
import io.consilium.registry.Expert;
import io.consilium.registry.ExpertRegistry;
import io.consilium.registry.Modality;
import io.consilium.registry.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experts that may answer a request, scored for it and ranked: enabled experts with the expert role,
 * within the request's allow and deny lists, able to read its images, with a context window that holds it
 * ({@link TokenEstimate}), taking calls. A score is
 * Σ p(s|q) · competence(e, s), times the expert's global competence.
 */
final class Candidates {

    /** Skills this improbable do not move a score. */
    private static final double MIN_SKILL_PROBABILITY = 0.01;
    private static final int DRIVING_SKILLS = 3;

    private final ExpertRegistry registry;
    private final ProfileService profiles;

    Candidates(ExpertRegistry registry, ProfileService profiles) {
        this.registry = registry;
        this.profiles = profiles;
    }

    /**
     * Best score first; among equal scores the expert measured on more answers (an unmeasured expert's
     * score is its prior, a guess, and never wins a tie against a measurement), then by id.
     *
     * @throws InvalidRoutingRequestException when the allow or deny list names an expert that does not exist
     * @throws NoEligibleExpertException when no expert may answer
     */
    List<PlannedExpert> ranked(ChatRequest request, RoutingOptions options, SkillVector skills) {
        List<Expert> eligible = eligible(request, options);
        Map<String, Double> evidence = new HashMap<>();
        eligible.forEach(expert -> evidence.put(expert.id(), profiles.evidence(expert)));
        List<PlannedExpert> ranked = eligible.stream()
                .map(expert -> scored(expert, skills))
                .sorted(Comparator.comparingDouble(PlannedExpert::score).reversed()
                        .thenComparing(planned -> evidence.get(planned.expert().id()), Comparator.reverseOrder())
                        .thenComparing(planned -> planned.expert().id()))
                .toList();
        if (ranked.isEmpty()) {
            throw new NoEligibleExpertException("No enabled, healthy expert may answer this request"
                    + (request.hasImageInput() ? " (it carries images)" : "")
                    + " with a context window that holds about " + TokenEstimate.of(request) + " tokens.");
        }
        return ranked;
    }

    private List<Expert> eligible(ChatRequest request, RoutingOptions options) {
        Set<String> named = new LinkedHashSet<>(options.allow());
        named.addAll(options.deny());
        for (String id : named) {
            if (registry.find(id).isEmpty()) {
                throw new InvalidRoutingRequestException(options.allow().contains(id) ? "consilium.experts.allow"
                        : "consilium.experts.deny", "No expert with id '" + id + "'.");
            }
        }
        boolean needsImages = request.hasImageInput();
        long tokens = TokenEstimate.of(request);
        return registry.enabled().stream()
                .filter(expert -> expert.hasRole(Role.EXPERT))
                .filter(expert -> options.allow().isEmpty() || options.allow().contains(expert.id()))
                .filter(expert -> !options.deny().contains(expert.id()))
                .filter(expert -> !needsImages || expert.accepts(Modality.IMAGE))
                .filter(expert -> expert.limits().holds(tokens))
                .filter(expert -> registry.health(expert.id()).takesCalls())
                .toList();
    }

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
}
