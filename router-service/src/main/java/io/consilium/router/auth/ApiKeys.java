package io.consilium.router.auth;

import io.consilium.router.budgets.Budget;
import io.consilium.router.routing.RoutingCeiling;
import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.LocalCopy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Creates, lists and revokes API keys, and recognises them on requests. Recognition reads this replica's
 * {@link LocalCopy} of every key (indexed by hash), refreshed when any replica announces a change and
 * reloaded in full on every resync, so that checking a key costs no round trip and keeps working while
 * the shared store is unreachable. When the store lost its data, the resync writes this copy back instead
 * of forgetting every key; a key revoked on purpose stays revoked.
 */
public final class ApiKeys {

    private final ApiKeyStore store;
    private final ChangeBus changes;
    private final Clock clock;
    private final LocalCopy<ApiKey> copy;
    private volatile Map<String, ApiKey> byHash = Map.of();

    ApiKeys(ApiKeyStore store, ChangeBus changes, Clock clock) {
        this.store = store;
        this.changes = changes;
        this.clock = clock;
        this.copy = new LocalCopy<>(store, ApiKey::id, id -> {});
        changes.subscribe(ChangeBus.KEYS, id -> {
            copy.reload(id);
            index();
        });
        changes.onResync(() -> {
            copy.reloadAll();
            index();
        });
        index();
    }

    /** A key made now: the clear key (shown once, never stored) and what is stored of it. */
    public record Created(String key, ApiKey stored) {}

    /** What a key may do; see {@link ApiKey} for the meaning of each field. */
    public record Grant(String name, List<String> models, int requestsPerMinute, int tokensPerMinute, int maxTokens,
            @org.jspecify.annotations.Nullable Instant expiresAt, Budget budget, RoutingCeiling ceiling) {

        Grant withName(String name) {
            return new Grant(name, models, requestsPerMinute, tokensPerMinute, maxTokens, expiresAt, budget, ceiling);
        }

        /** What the key may do now, to be changed field by field. */
        static Grant of(ApiKey key) {
            return new Grant(key.name(), key.models(), key.requestsPerMinute(), key.tokensPerMinute(), key.maxTokens(),
                    key.expiresAt(), key.budget(), key.ceiling());
        }
    }

    public Created create(Grant grant) {
        String key = KeyMaterial.newKey(KeyMaterial.API_KEY_PREFIX);
        ApiKey stored = new ApiKey(KeyMaterial.newId(), grant.name(), KeyMaterial.displayPrefix(key), KeyMaterial.hash(key),
                grant.models(), grant.requestsPerMinute(), grant.tokensPerMinute(), grant.maxTokens(), clock.instant(),
                grant.expiresAt(), null, grant.budget(), grant.ceiling());
        copy.beforeWrite();
        store.create(stored);
        changed(stored);
        return new Created(key, stored);
    }

    public List<ApiKey> all() {
        return store.findAll();
    }

    public Optional<ApiKey> find(String id) {
        return store.find(id);
    }

    /**
     * Changes what a live key may do, on every replica; returns it as changed, or empty if there is no such key.
     *
     * @throws RevokedKeyException when the key was revoked: a revoked key stays as it was when revoked
     */
    public Optional<ApiKey> update(String id, UnaryOperator<Grant> change) {
        copy.beforeWrite();
        Optional<ApiKey> existing = store.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (existing.get().revoked()) {
            throw new RevokedKeyException(id);
        }
        ApiKey updated = existing.get().granted(change.apply(Grant.of(existing.get())));
        store.update(updated);
        changed(updated);
        return Optional.of(updated);
    }

    /** Revokes the key on every replica; returns it, or empty if there is no such key. */
    public Optional<ApiKey> revoke(String id) {
        copy.beforeWrite();
        Optional<ApiKey> existing = store.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (existing.get().revoked()) {
            return existing;
        }
        ApiKey revoked = existing.get().revokedAt(clock.instant());
        store.update(revoked);
        changed(revoked);
        return Optional.of(revoked);
    }

    /** A change asked of a key that was revoked. */
    public static final class RevokedKeyException extends RuntimeException {

        RevokedKeyException(String id) {
            super("The API key '" + id + "' was revoked; a revoked key cannot be changed.");
        }
    }

    /** What a presented key is: live, revoked, expired, or unknown. */
    public Recognition recognise(String presented) {
        return recogniseHash(KeyMaterial.hash(presented));
    }

    /** What the presented key whose {@link KeyMaterial#hash hash} this is is. */
    Recognition recogniseHash(String hash) {
        ApiKey key = byHash.get(hash);
        if (key == null || !KeyMaterial.sameHash(hash, key.hash())) {
            return new Recognition(Recognition.Status.UNKNOWN, null);
        }
        if (key.revoked()) {
            return new Recognition(Recognition.Status.REVOKED, key);
        }
        if (key.expiredAt(clock.instant())) {
            return new Recognition(Recognition.Status.EXPIRED, key);
        }
        return new Recognition(Recognition.Status.LIVE, key);
    }

    /** The outcome of checking a presented key. */
    public record Recognition(Status status, @org.jspecify.annotations.Nullable ApiKey key) {
        public enum Status { LIVE, REVOKED, EXPIRED, UNKNOWN }
    }

    private void changed(ApiKey key) {
        // This replica sees its own change at once, whatever the bus does with it.
        copy.stored(key);
        index();
        changes.publish(ChangeBus.KEYS, key.id());
    }

    /** Rebuilds the index from the copy as it is now; serialised, so an older snapshot never wins. */
    private synchronized void index() {
        byHash = copy.all().stream().collect(Collectors.toUnmodifiableMap(ApiKey::hash, Function.identity()));
    }
}
