package io.consilium.router.auth;

class InMemoryRateLimiterTest extends RateLimiterContract {

    @Override
    protected RateLimiter newLimiter() {
        return new InMemoryRateLimiter(System::currentTimeMillis);
    }
}
