package io.consilium.router.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/** Buckets of a single process (store {@code memory}). */
final class InMemoryRateLimiter implements RateLimiter {

    private static final double MILLIS_PER_MINUTE = 60_000.0;

    /** A bucket untouched for two minutes is full again, so forgetting it changes nothing. */
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(2)).build();
    private final LongSupplier clockMillis;

    InMemoryRateLimiter(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    @Override
    public long tryTake(String bucket, int perMinute, long cost) {
        return bucket(bucket, perMinute).take(perMinute, cost, false, clockMillis.getAsLong());
    }

    @Override
    public void charge(String bucket, int perMinute, long cost) {
        bucket(bucket, perMinute).take(perMinute, cost, true, clockMillis.getAsLong());
    }

    private Bucket bucket(String name, int perMinute) {
        return buckets.get(name, n -> new Bucket(perMinute, clockMillis.getAsLong()));
    }

    private static final class Bucket {

        private double tokens;
        private long updatedAt;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updatedAt = now;
        }

        synchronized long take(int capacity, long cost, boolean always, long now) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) * capacity / MILLIS_PER_MINUTE);
            updatedAt = now;
            if (always || tokens >= cost) {
                tokens -= cost;
                return 0;
            }
            return (long) Math.ceil((cost - tokens) * MILLIS_PER_MINUTE / capacity);
        }
    }
}
