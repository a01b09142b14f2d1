package io.consilium.profiler;

import io.consilium.registry.Expert;
import io.consilium.registry.Role;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records evidence about experts (graded answers, fusions, errors, feedback) and answers questions
 * about their competence, as the router needs them.
 */
public final class ProfileService {

    private final ProfileStore store;
    private final CompetenceModel model;

    public ProfileService(ProfileStore store, CompetenceModel model) {
        this.store = store;
        this.model = model;
    }

    public CompetenceModel model() {
        return model;
    }

    public Optional<ExpertProfile> profile(String expertId) {
        return store.find(expertId);
    }

    public List<ExpertProfile> all() {
        return store.findAll();
    }

    public ExpertProfile recordAnswer(String expertId, Map<String, Double> skillWeights, boolean correct) {
        return store.update(expertId, profile -> profile.withAnswer(skillWeights, correct));
    }

    public ExpertProfile recordError(String expertId) {
        return store.update(expertId, ExpertProfile::withError);
    }

    public ExpertProfile recordFusion(String aggregatorId, boolean correct) {
        return store.update(aggregatorId, profile -> profile.withFusion(correct));
    }

    /** Applies a user's score in [-1, 1] to every expert that took part, for the request's skills. */
    public void recordFeedback(Collection<String> expertIds, Map<String, Double> skillWeights, double score) {
        for (String expertId : expertIds) {
            store.update(expertId, profile -> profile.withFeedback(skillWeights, score));
        }
    }

    /** Starts the experts' profiles afresh. */
    public void reset(Collection<String> expertIds) {
        expertIds.forEach(store::delete);
    }

    /** The expert's competence at one skill: measured where there is evidence, its declaration otherwise. */
    public double competence(Expert expert, String skillId) {
        return model.competence(profileOf(expert), skillId, expert.skills().contains(skillId));
    }

    public double globalCompetence(Expert expert) {
        return model.globalCompetence(profileOf(expert));
    }

    /** How well the expert fuses answers; only meaningful for aggregator-capable experts. */
    public double aggregatorScore(Expert expert) {
        return model.fusionScore(profileOf(expert));
    }

    /**
     * How many graded answers, weighted, the expert's competences rest on: 0 for an expert never measured.
     * Among equal scores the one with more evidence goes first, since a prior is a guess and a measurement
     * is not.
     */
    public double evidence(Expert expert) {
        return profileOf(expert).total().attempted();
    }

    /** How many graded syntheses the expert's fusion score rests on: 0 for an aggregator never measured. */
    public double fusionEvidence(Expert expert) {
        return profileOf(expert).fusion().attempted();
    }

    /**
     * The enabled aggregator-capable candidate with the best fusion score; among equal scores the one
     * measured on more syntheses, so that an unmeasured aggregator's prior never beats a measurement it
     * only ties, then the lower id.
     */
    public Optional<Expert> bestAggregator(Collection<Expert> candidates) {
        return candidates.stream()
                .filter(expert -> expert.enabled() && expert.hasRole(Role.AGGREGATOR))
                .max(Comparator.comparingDouble(this::aggregatorScore)
                        .thenComparingDouble(this::fusionEvidence)
                        .thenComparing(Expert::id, Comparator.reverseOrder()));
    }

    private ExpertProfile profileOf(Expert expert) {
        return store.find(expert.id()).orElseGet(() -> ExpertProfile.empty(expert.id()));
    }
}
