package io.consilium.router.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.router.config.ConsiliumProperties;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Remembers, for a bounded time and number, which experts answered each completion and which skills
 * its request needed, so that feedback can reach the right profiles. Requests the router did not
 * classify (direct calls to an expert) keep the start of their question instead, and are classified
 * only if feedback ever arrives: most answers never get any, and the direct path stays lean.
 */
@Component
public final class CompletionLog {

    private static final double MIN_WEIGHT = 0.01;
    /** Enough of a question to classify it; the classifier reads no more than 128 tokens anyway. */
    private static final int KEPT_QUESTION_CHARS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cache<String, Completion> completions;
    private final QueryClassifier classifier;

    CompletionLog(ConsiliumProperties properties, QueryClassifier classifier) {
        this.classifier = classifier;
        this.completions = Caffeine.newBuilder()
                .maximumSize(properties.feedback().rememberedCompletions())
                .expireAfterWrite(properties.feedback().rememberFor())
                .build();
    }

    /** A fresh, unguessable completion id. */
    public static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "chatcmpl-" + HexFormat.of().formatHex(bytes);
    }

    /** Remembers a completion whose skills are to be worked out from its question if feedback comes. */
    public void remember(String id, List<String> expertIds, String question) {
        String kept = question.length() <= KEPT_QUESTION_CHARS ? question : question.substring(0, KEPT_QUESTION_CHARS);
        completions.put(id, new Completion(id, List.copyOf(expertIds), kept, null, new AtomicBoolean()));
    }

    /** Remembers a completion whose skills the router already knows. */
    public void remember(String id, List<String> expertIds, List<SkillScore> skills) {
        completions.put(id, new Completion(id, List.copyOf(expertIds), null, weights(skills), new AtomicBoolean()));
    }

    public Optional<Completion> find(String id) {
        return Optional.ofNullable(completions.getIfPresent(id));
    }

    /** The skill weights of a completion's request. */
    public Map<String, Double> skillsOf(Completion completion) {
        if (completion.skills() != null) {
            return completion.skills();
        }
        return weights(classifier.classify(completion.question() == null ? "" : completion.question()).skills());
    }

    private static Map<String, Double> weights(List<SkillScore> scores) {
        Map<String, Double> weights = new LinkedHashMap<>();
        for (SkillScore score : scores) {
            if (score.score() >= MIN_WEIGHT) {
                weights.put(score.id(), score.score());
            }
        }
        return weights;
    }

    /**
     * A remembered completion: its skills when the router classified it, else the start of its question.
     *
     * @param feedbackGiven set once the completion has been scored, so one answer counts once
     */
    public record Completion(String id, List<String> expertIds, @Nullable String question,
            @Nullable Map<String, Double> skills, AtomicBoolean feedbackGiven) {}
}
