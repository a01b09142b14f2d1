package io.consilium.router.feedback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.consilium.profiler.QueryClassifier;
import io.consilium.profiler.SkillScore;
import io.consilium.router.routing.ToolCallMakers;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
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
 *
 * <p>Where completions are kept is a {@link Store}: this process ({@link #inMemory}) or Redis, so that
 * feedback can be sent to any replica. Remembering never fails a chat request.
 */
@Component
public final class CompletionLog implements ToolCallMakers {

    private static final double MIN_WEIGHT = 0.01;
    /** Enough of a question to classify it; the classifier reads no more than 128 tokens anyway. */
    private static final int KEPT_QUESTION_CHARS = 1_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Tool calls share the completions' store under their own prefix; feedback never reaches them. */
    private static final String TOOL_CALL_PREFIX = "tool_call:";

    private final Store store;
    private final QueryClassifier classifier;

    CompletionLog(Store store, QueryClassifier classifier) {
        this.store = store;
        this.classifier = classifier;
    }

    /** A store that keeps completions in this process, the most recent {@code maxEntries} for {@code rememberFor}. */
    public static Store inMemory(long maxEntries, Duration rememberFor) {
        return new MemoryStore(maxEntries, rememberFor);
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
        store.remember(new Completion(id, List.copyOf(expertIds), kept, null, FeedbackFlag.local()));
    }

    /** Remembers a completion whose skills the router already knows. */
    public void remember(String id, List<String> expertIds, List<SkillScore> skills) {
        store.remember(new Completion(id, List.copyOf(expertIds), null, weights(skills), FeedbackFlag.local()));
    }

    public Optional<Completion> find(String id) {
        return id.startsWith(TOOL_CALL_PREFIX) ? Optional.empty() : store.find(id);
    }

    /**
     * Remembers which expert made the tool calls of an answer, so that the conversation that carries their
     * results back can be continued by the same expert. Kept like completions: as long, and where they are.
     */
    public void rememberToolCalls(Collection<String> toolCallIds, String expertId) {
        for (String callId : toolCallIds) {
            store.remember(new Completion(TOOL_CALL_PREFIX + callId, List.of(expertId), null, Map.of(), FeedbackFlag.local()));
        }
    }

    @Override
    public Optional<String> makerOf(String toolCallId) {
        return store.find(TOOL_CALL_PREFIX + toolCallId).map(completion -> completion.expertIds().getFirst());
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
            @Nullable Map<String, Double> skills, FeedbackFlag feedbackGiven) {}

    /**
     * Whether a completion was scored. Claimed at most once wherever the completion is kept: in this
     * process, or across every replica sharing Redis.
     */
    public interface FeedbackFlag {

        /** Sets the flag if nobody has yet; returns whether this call set it. */
        boolean claim();

        /** {@code AtomicBoolean}'s shape, so callers read as before; only {@code (false, true)} is meaningful. */
        default boolean compareAndSet(boolean expected, boolean next) {
            if (expected || !next) {
                throw new IllegalArgumentException("a feedback flag can only go from false to true");
            }
            return claim();
        }

        /** A flag of this process only. */
        static FeedbackFlag local() {
            AtomicBoolean given = new AtomicBoolean();
            return () -> given.compareAndSet(false, true);
        }
    }

    /** Where remembered completions are kept; entries are forgotten after the time the store was made with. */
    public interface Store {

        /** Keeps the completion; never throws, losing the entry instead when the storage is unreachable. */
        void remember(Completion completion);

        /** The completion, with a {@link FeedbackFlag} that is claimed in this store. */
        Optional<Completion> find(String id);
    }

    /** Caffeine, bounded in size and time; a completion's flag is the one it was remembered with. */
    private static final class MemoryStore implements Store {

        private final Cache<String, Completion> completions;

        MemoryStore(long maxEntries, Duration rememberFor) {
            this.completions = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(rememberFor).build();
        }

        @Override
        public void remember(Completion completion) {
            completions.put(completion.id(), completion);
        }

        @Override
        public Optional<Completion> find(String id) {
            return Optional.ofNullable(completions.getIfPresent(id));
        }
    }
}
