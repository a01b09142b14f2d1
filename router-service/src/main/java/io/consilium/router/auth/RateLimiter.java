package io.consilium.router.auth;

/**
 * Token buckets refilled continuously at {@code perMinute} per minute and holding at most that much.
 * Implementations must be atomic across every process that shares them.
 */
interface RateLimiter {

    /** Takes {@code cost} if the bucket holds that much; returns 0 when taken, else the millis until it will. */
    long tryTake(String bucket, int perMinute, long cost);

    /** Charges {@code cost} after the fact; the bucket may go below zero and later takes then wait. */
    void charge(String bucket, int perMinute, long cost);
}
