package io.consilium.router.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.consilium.router.feedback.CompletionLog;
import io.consilium.router.testing.RedisFixture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisCompletionStoreIT extends CompletionStoreContract {

    @RegisterExtension
    static final RedisFixture redis = new RedisFixture();

    @Override
    protected CompletionLog.Store newEmptyStore(Duration rememberFor) {
        redis.flushAll();
        return new RedisCompletionStore(redis.connection(), rememberFor);
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
