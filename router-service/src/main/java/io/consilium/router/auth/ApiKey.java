package io.consilium.router.auth;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An API key as stored: never the key itself, only its SHA-256 and a short prefix to recognise it by.
 *
 * @param id stable identifier used by the admin API
 * @param name what the key is for
 * @param prefix the first characters of the key, for display
 * @param hash hex SHA-256 of the whole key
 * @param models the models (virtual model names or expert ids) the key may use; empty means all
 * @param requestsPerMinute request limit; 0 means none
 * @param tokensPerMinute prompt plus completion token limit; 0 means none
 * @param maxTokens ceiling on {@code max_tokens} of one request; 0 means none
 * @param expiresAt when the key stops working; null means never
 * @param revokedAt when the key was revoked; null while it is live
 */
public record ApiKey(
        String id,
        String name,
        String prefix,
        String hash,
        List<String> models,
        int requestsPerMinute,
        int tokensPerMinute,
        int maxTokens,
        Instant createdAt,
        @Nullable Instant expiresAt,
        @Nullable Instant revokedAt) {

    public ApiKey {
        models = List.copyOf(models);
    }

    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    ApiKey revokedAt(Instant when) {
        return new ApiKey(id, name, prefix, hash, models, requestsPerMinute, tokensPerMinute, maxTokens, createdAt,
                expiresAt, when);
    }
}
