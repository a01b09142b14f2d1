package io.consilium.router.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.registry.SecretCipher;
import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.state.StateUnavailableException;
import io.consilium.router.testing.RedisFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The completion contract against Redis, and what only Redis can get wrong: prompts at rest, expiry, outages. */
class RedisCompletionStoreIT extends CompletionStoreContract {

    private static final SecretCipher CIPHER = SecretCipher.withMasterKey("a-master-key-for-the-tests");
    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected CompletionLog.Store newEmptyStore(Duration rememberFor) {
        redis.flushAll();
        return new RedisCompletionStore(redis.connection(), rememberFor, CIPHER);
    }

    @Test
    void should_keep_the_question_only_sealed_and_every_key_with_an_expiry() {
        // given
        CompletionLog.Store store = newEmptyStore(Duration.ofMinutes(1));

        // when
        store.remember(new CompletionLog.Completion("c-sealed", List.of("alpha"), "Is my neighbour's oak tree mine?",
                null, CompletionLog.FeedbackFlag.local()));
        await().atMost(Duration.ofSeconds(2)).until(() -> store.find("c-sealed").isPresent());
        store.find("c-sealed").orElseThrow().feedbackGiven().claim();

        // then
        assertThat(redis.commands().get(RedisCompletionStore.PREFIX + "c-sealed"))
                .doesNotContain("oak tree").contains("\"sealed_question\":\"v1:");
        assertThat(redis.commands().keys(RedisCompletionStore.PREFIX + "*")).hasSize(2)
                .allSatisfy(key -> assertThat(redis.commands().pttl(key)).isBetween(1L, 60_000L));
        assertThat(store.find("c-sealed").orElseThrow().question()).isEqualTo("Is my neighbour's oak tree mine?");
    }

    @Test
    void should_refuse_to_read_a_question_sealed_under_another_master_key_and_say_which_setting() {
        // given
        CompletionLog.Store store = newEmptyStore(Duration.ofMinutes(1));
        store.remember(new CompletionLog.Completion("c-other", List.of("alpha"), "a private question", null,
                CompletionLog.FeedbackFlag.local()));
        await().atMost(Duration.ofSeconds(2)).until(() -> store.find("c-other").isPresent());
        CompletionLog.Store otherReplica = new RedisCompletionStore(redis.connection(), Duration.ofMinutes(1),
                SecretCipher.withMasterKey("another-master-key-entirely"));

        // then
        assertThatThrownBy(() -> otherReplica.find("c-other"))
                .hasMessageContaining("consilium.security.master-key")
                .message().doesNotContain("a private question");
    }

    @Test
    void should_not_fail_the_caller_when_redis_is_down_and_work_again_once_it_is_back() {
        // given
        CompletionLog.Store store = newEmptyStore(Duration.ofMinutes(1));
        redis.server().stop();
        try {
            // when
            assertThatCode(() -> store.remember(new CompletionLog.Completion("c-during", List.of("alpha"), "q", null,
                    CompletionLog.FeedbackFlag.local()))).doesNotThrowAnyException();
            assertThatThrownBy(() -> store.find("c-during")).isInstanceOf(StateUnavailableException.class);
        } finally {
            redis.server().startAgain();
        }

        // then
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            store.remember(new CompletionLog.Completion("c-after", List.of("alpha"), "q", null,
                    CompletionLog.FeedbackFlag.local()));
            assertThat(store.find("c-after")).isPresent();
        });
    }
}
