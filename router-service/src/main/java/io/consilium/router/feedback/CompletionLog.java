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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/**
 * Remembers, for a bounded time and number, which experts answered each completion and which skills
 * its request needed, so that feedback can reach the right profiles. For requests the router did not
 * classify (direct calls to an expert), the skills are worked out off the request path.
 */
@Component
public final class CompletionLog implements AutoCloseable {

    private static final double MIN_WEIGHT = 0.01;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cache<String, Completion> completions;
    private final QueryClassifier classifier;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

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

    /** Remembers a completion whose skills are classified from the question in the background. */
    public void remember(String id, List<String> expertIds, String question) {
        CompletableFuture<Map<String, Double>> skills =
                CompletableFuture.supplyAsync(() -> weights(classifier.classify(question).skills()), background);
        completions.put(id, new Completion(id, List.copyOf(expertIds), skills, new AtomicBoolean()));
    }

    /** Remembers a completion whose skills the router already knows. */
    public void remember(String id, List<String> expertIds, List<SkillScore> skills) {
        completions.put(id, new Completion(id, List.copyOf(expertIds), CompletableFuture.completedFuture(weights(skills)),
                new AtomicBoolean()));
    }

    public Optional<Completion> find(String id) {
        return Optional.ofNullable(completions.getIfPresent(id));
    }

    @Override
    public void close() {
        background.shutdownNow();
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
     * A remembered completion.
     *
     * @param feedbackGiven set once the completion has been scored, so one answer counts once
     */
    public record Completion(String id, List<String> expertIds, CompletableFuture<Map<String, Double>> skills,
            AtomicBoolean feedbackGiven) {}
}
