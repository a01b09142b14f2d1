package io.consilium.router.cache;

/**
 * Where a request's answer is kept: its owner's scope, the partition of everything that changes the answer
 * except the question, and the exact question within it.
 *
 * @param owner whose answers these are ({@code key:<id>}, {@code admin} or {@code anonymous})
 * @param partition the hash of the owner and of every request field except the last user turn and the stream flags
 * @param exact the hash of the partition and of the last user turn
 */
public record CacheKey(String owner, String partition, String exact) {}
