package io.consilium.router.auth;

import io.consilium.router.budgets.Budget;
import io.consilium.router.routing.RoutingCeiling;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 * @param budget what the key may spend per period; {@link Budget#NONE} for no limit
 * @param ceiling how far the key may fan a request out; {@link RoutingCeiling#NONE} for no limit
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
        @Nullable Instant revokedAt,
        Budget budget,
        RoutingCeiling ceiling) {

    public ApiKey {
        models = List.copyOf(models);
        // Keys stored before budgets and ceilings existed have neither.
        budget = Objects.requireNonNullElse(budget, Budget.NONE);
        ceiling = Objects.requireNonNullElse(ceiling, RoutingCeiling.NONE);
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
                expiresAt, when, budget, ceiling);
    }

    /** The same key with what it may do replaced by the grant. */
    ApiKey granted(ApiKeys.Grant grant) {
        return new ApiKey(id, grant.name(), prefix, hash, grant.models(), grant.requestsPerMinute(),
                grant.tokensPerMinute(), grant.maxTokens(), createdAt, grant.expiresAt(), revokedAt, grant.budget(),
                grant.ceiling());
    }
}
