package io.consilium.router.auth;

import io.consilium.router.state.ChangeBus;
import io.consilium.router.state.StateUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, lists and revokes API keys, and recognises them on requests. Recognition reads a local copy
 * of every key (indexed by hash), refreshed when any replica announces a change, so that checking a key
 * costs no round trip and keeps working while the shared store is briefly unreachable.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private final ApiKeyStore store;
    private final ChangeBus changes;
    private final Clock clock;
    private volatile Map<String, ApiKey> byHash = Map.of();
    private volatile boolean reloadFailed;

    ApiKeys(ApiKeyStore store, ChangeBus changes, Clock clock) {
        this.store = store;
        this.changes = changes;
        this.clock = clock;
        changes.subscribe(ChangeBus.KEYS, id -> reload());
        changes.onResync(this::reload);
        reload();
    }

    /** A key made now: the clear key (shown once, never stored) and what is stored of it. */
    public record Created(String key, ApiKey stored) {}

    /** What a new key may do; see {@link ApiKey} for the meaning of each field. */
    public record Grant(String name, List<String> models, int requestsPerMinute, int tokensPerMinute, int maxTokens,
            @org.jspecify.annotations.Nullable Instant expiresAt) {}

    public Created create(Grant grant) {
        String key = KeyMaterial.newKey(KeyMaterial.API_KEY_PREFIX);
        ApiKey stored = new ApiKey(KeyMaterial.newId(), grant.name(), KeyMaterial.displayPrefix(key), KeyMaterial.hash(key),
                grant.models(), grant.requestsPerMinute(), grant.tokensPerMinute(), grant.maxTokens(), clock.instant(),
                grant.expiresAt(), null);
        store.create(stored);
        changed(stored.id());
        return new Created(key, stored);
    }

    public List<ApiKey> all() {
        return store.findAll();
    }

    public Optional<ApiKey> find(String id) {
        return store.find(id);
    }

    /** Revokes the key on every replica; returns it, or empty if there is no such key. */
    public Optional<ApiKey> revoke(String id) {
        Optional<ApiKey> existing = store.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        if (existing.get().revoked()) {
            return existing;
        }
        ApiKey revoked = existing.get().revokedAt(clock.instant());
        store.update(revoked);
        changed(id);
        return Optional.of(revoked);
    }

    /** What a presented key is: live, revoked, expired, or unknown. */
    public Recognition recognise(String presented) {
        String hash = KeyMaterial.hash(presented);
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

    private void changed(String id) {
        // This replica sees its own change at once, whatever the bus does with it.
        reload();
        changes.publish(ChangeBus.KEYS, id);
    }

    private void reload() {
        try {
            byHash = store.findAll().stream().collect(Collectors.toUnmodifiableMap(ApiKey::hash, Function.identity()));
            if (reloadFailed) {
                log.info("API keys reloaded from the shared store");
                reloadFailed = false;
            }
        } catch (StateUnavailableException e) {
            if (!reloadFailed) {
                log.warn("Cannot reload API keys ({}); keys known so far keep working", e.getMessage());
                reloadFailed = true;
            }
        }
    }
}
