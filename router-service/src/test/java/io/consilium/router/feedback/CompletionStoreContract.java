package io.consilium.router.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.router.feedback.CompletionLog.Completion;
import io.consilium.router.feedback.CompletionLog;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link CompletionLog.Store} must do. Extend it once per implementation and return an empty
 * store that forgets entries after {@code rememberFor} from {@link #newEmptyStore(Duration)}.
 */
abstract class CompletionStoreContract {

    protected abstract CompletionLog.Store newEmptyStore(Duration rememberFor);

    /** Remembering may be sent without waiting; reads wait until it has landed. */
    private static Completion awaitFound(CompletionLog.Store store, String id) {
        return await().atMost(Duration.ofSeconds(2)).until(() -> store.find(id), found -> found.isPresent())
                .orElseThrow();
    }

    @Test
    void should_find_nothing_for_an_unknown_id() {
        assertThat(newEmptyStore(Duration.ofMinutes(1)).find("chatcmpl-unknown")).isEmpty();
    }

    @Test
    void should_keep_experts_and_question_or_skills_with_their_order() {
        // given
        CompletionLog.Store store = newEmptyStore(Duration.ofMinutes(1));
        Map<String, Double> skills = new LinkedHashMap<>();
        skills.put("math.algebra", 0.7123456789);
        skills.put("law", 0.25);

        // when
        store.remember(new Completion("c-question", List.of("bravo", "alpha"), "What is 2+2? \"ünïcode\"", null,
                CompletionLog.FeedbackFlag.local()));
        store.remember(new Completion("c-skills", List.of("alpha"), null, skills, CompletionLog.FeedbackFlag.local()));

        // then
        Completion question = awaitFound(store, "c-question");
        assertThat(question.expertIds()).containsExactly("bravo", "alpha");
        assertThat(question.question()).isEqualTo("What is 2+2? \"ünïcode\"");
        assertThat(question.skills()).isNull();
        Completion classified = awaitFound(store, "c-skills");
        assertThat(classified.question()).isNull();
        assertThat(classified.skills()).containsExactlyEntriesOf(skills);
    }

    @Test
    void should_let_feedback_be_claimed_once_however_often_the_completion_is_looked_up() {
        // given
        CompletionLog.Store store = newEmptyStore(Duration.ofMinutes(1));
        store.remember(new Completion("c-1", List.of("alpha"), "q", null, CompletionLog.FeedbackFlag.local()));
        Completion first = awaitFound(store, "c-1");

        // when
        boolean claimed = first.feedbackGiven().compareAndSet(false, true);

        // then
        assertThat(claimed).isTrue();
        assertThat(first.feedbackGiven().claim()).isFalse();
        assertThat(store.find("c-1").orElseThrow().feedbackGiven().claim()).isFalse();
    }

    @Test
    void should_forget_a_completion_after_the_time_it_is_remembered_for() {
        // given
        CompletionLog.Store store = newEmptyStore(Duration.ofMillis(300));
        store.remember(new Completion("c-short", List.of("alpha"), "q", null, CompletionLog.FeedbackFlag.local()));
        awaitFound(store, "c-short");

        // then
        await().atMost(Duration.ofSeconds(3)).until(() -> store.find("c-short").isEmpty());
    }
}
