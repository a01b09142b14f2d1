package io.consilium.router.embeddings;

import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.profiler.SkillVector;
import io.consilium.registry.Expert;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the one embedding expert for all the inputs of a request, by domain (as RouterRetriever does with
 * per-domain embedding models). Each input is classified; the inputs' skill probabilities are averaged; an
 * expert's domain score is the averaged probability of its declared domains. The best-scoring expert with
 * domains wins when its score is at least {@value #MIN_DOMAIN_SCORE} (the inputs are more likely in its domains
 * than not), or when there is no generalist; otherwise the generalist (an expert without domains) answers.
 * With one candidate, or none with domains, nothing is classified.
 */
final class DomainRouting {

    /** The domain score an expert with domains needs to be chosen over the generalist. */
    static final double MIN_DOMAIN_SCORE = 0.5;
    private static final int SKILLS_SHOWN = 5;

    private final QueryClassifier classifier;

    DomainRouting(QueryClassifier classifier) {
        this.classifier = classifier;
    }

    /**
     * The expert for these inputs among the candidates, ordered by id.
     *
     * @param candidates enabled, healthy embedding experts; not empty
     */
    Choice choose(List<Expert> candidates, List<String> texts) {
        List<Expert> specialists = candidates.stream().filter(expert -> !expert.domains().isEmpty()).toList();
        List<Expert> generalists = candidates.stream().filter(expert -> expert.domains().isEmpty()).toList();
        if (candidates.size() == 1 || specialists.isEmpty()) {
            Expert only = generalists.isEmpty() ? candidates.getFirst() : generalists.getFirst();
            return new Choice(only, List.of(), List.of());
        }
        Map<String, Double> mean = new LinkedHashMap<>();
        for (SkillVector vector : classifier.classifyAll(texts)) {
            for (SkillScore score : vector.skills()) {
                mean.merge(score.id(), score.score() / texts.size(), Double::sum);
            }
        }
        List<SkillScore> scores = new ArrayList<>();
        for (Expert specialist : specialists) {
            double score = specialist.domains().stream().mapToDouble(domain -> mean.getOrDefault(domain, 0.0)).sum();
            scores.add(new SkillScore(specialist.id(), Math.min(1, score)));
        }
        scores.sort(Comparator.comparingDouble(SkillScore::score).reversed().thenComparing(SkillScore::id));
        SkillScore best = scores.getFirst();
        Expert chosen = best.score() >= MIN_DOMAIN_SCORE || generalists.isEmpty()
                ? specialists.stream().filter(expert -> expert.id().equals(best.id())).findFirst().orElseThrow()
                : generalists.getFirst();
        List<SkillScore> skills = mean.entrySet().stream()
                .map(entry -> new SkillScore(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingDouble(SkillScore::score).reversed().thenComparing(SkillScore::id))
                .limit(SKILLS_SHOWN)
                .toList();
        return new Choice(chosen, skills, scores);
    }

    /**
     * @param expert the expert that embeds every input
     * @param skills the inputs' averaged skill probabilities, highest first; empty when nothing was classified
     * @param domainScores each expert with domains and its domain score, highest first
     */
    record Choice(Expert expert, List<SkillScore> skills, List<SkillScore> domainScores) {}
}
