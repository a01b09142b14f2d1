package io.consilium.router.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.consilium.router.api.ApiException;
import io.consilium.router.state.StateUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class RateLimitsTest {

    private static final ApiKey LIMITED = new ApiKey("key_1", "limited", "csk-x", "h", List.of(), 2, 0, 0,
            Instant.EPOCH, null, null, null, null);

    /** Buckets that cannot be reached, as when Redis is down. */
    private static final RateLimiter UNREACHABLE = new RateLimiter() {
        @Override
        public long tryTake(String bucket, int perMinute, long cost) {
            throw new StateUnavailableException("check a rate limit", new IllegalStateException("down"));
        }

        @Override
        public void charge(String bucket, int perMinute, long cost) {
            throw new StateUnavailableException("charge a rate limit", new IllegalStateException("down"));
        }
    };

    @Test
    void should_refuse_with_429_and_retry_after_once_the_limit_is_used() {
        // given
        RateLimits limits = new RateLimits(new InMemoryRateLimiter(System::currentTimeMillis), true, new SimpleMeterRegistry());
        limits.admit(LIMITED);
        limits.admit(LIMITED);

        // then
        assertThatThrownBy(() -> limits.admit(LIMITED)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
            assertThat(e.retryAfter()).isNotNull().isPositive();
        });
    }

    @Test
    void should_let_requests_through_and_count_them_when_failing_open() {
        // given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        RateLimits limits = new RateLimits(UNREACHABLE, true, meters);

        // when
        limits.admit(LIMITED);
        limits.admit(LIMITED);
        limits.admit(LIMITED);
        limits.charge(LIMITED, 100);

        // then
        assertThat(meters.get("consilium.rate.limit.unavailable").counter().count()).isEqualTo(3);
    }

    @Test
    void should_refuse_with_503_when_failing_closed() {
        // given
        RateLimits limits = new RateLimits(UNREACHABLE, false, new SimpleMeterRegistry());

        // then
        assertThatThrownBy(() -> limits.admit(LIMITED)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    }
}
