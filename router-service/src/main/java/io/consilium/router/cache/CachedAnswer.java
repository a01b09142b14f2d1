package io.consilium.router.cache;

import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * One answer kept in the cache.
 *
 * @param exactKey the hash of the partition and the question, for exact look-ups
 * @param embedding the question's L2-normalised embedding, when it may be matched by meaning
 * @param completion the {@code chat.completion} as its first client got it
 * @param costUsd what making it cost, which every hit saves
 * @param experts the experts whose answers made it, for feedback on the answers served from it
 * @param expiresAtMillis when it stops being served (epoch milliseconds)
 */
public record CachedAnswer(String exactKey, float @Nullable [] embedding, ObjectNode completion, double costUsd,
        List<String> experts, long expiresAtMillis) {

    public CachedAnswer {
        experts = List.copyOf(experts);
    }

    boolean expiredAt(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }
}
