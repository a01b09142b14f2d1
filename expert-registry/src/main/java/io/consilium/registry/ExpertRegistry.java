package io.consilium.registry;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The catalogue of experts as the rest of the service sees it: checks what the {@link Expert} builder
 * cannot know on its own (skill ids against the taxonomy, providers this build can call, where the
 * base URL points under the clients' {@link EgressPolicy}, whether a local model's files are usable),
 * keeps the store and the clients in step, and hands out clients.
 */
public final class ExpertRegistry {

    /**
     * The shortest provider key accepted. Every stored key is redacted from upstream texts wherever it
     * appears, as letters in a word too; a key of one to three characters would cut those letters out of
     * every message (and is no secret: a few million guesses find it). From four characters its forms are
     * rare in ordinary text, and the placeholders that servers without keys are given ("none", "EMPTY")
     * are still accepted.
     */
    public static final int MIN_API_KEY_LENGTH = 4;

    private final ExpertStore store;
    private final Predicate<String> knownSkill;
    private final ExpertClients clients;
    private final @Nullable Reachability reachability;

    public ExpertRegistry(ExpertStore store, Predicate<String> knownSkill, ExpertClients clients) {
        this(store, knownSkill, clients, null);
    }

    /** With the active checks whose failures make an expert {@link ExpertHealth#UNREACHABLE}. */
    public ExpertRegistry(ExpertStore store, Predicate<String> knownSkill, ExpertClients clients,
            @Nullable Reachability reachability) {
        this.store = store;
        this.knownSkill = knownSkill;
        this.clients = clients;
        this.reachability = reachability;
    }

    public Optional<Expert> find(String id) {
        return store.find(id);
    }

    /** Every expert, enabled or not, ordered by id. */
    public List<Expert> all() {
        return store.findAll();
    }

    /** Experts that take traffic, ordered by id. */
    public List<Expert> enabled() {
        return store.findAll().stream().filter(Expert::enabled).toList();
    }

    /** Adds a new expert; fails if its id is taken. */
    public Expert register(Expert expert) {
        check(expert);
        if (!store.create(expert)) {
            throw new ExpertAlreadyExistsException(expert.id());
        }
        return expert;
    }

    /**
     * Changes an existing expert's definition, its stored key going along as the update says. This is the
     * way to change an expert whose key the caller does not hold: a key kept while the base URL or the
     * provider changes is refused (see {@link ApiKeyUpdate}).
     *
     * @param changed the new definition; its own key is ignored in favour of {@code key}
     */
    public Expert update(Expert changed, ApiKeyUpdate key) {
        Expert current = store.find(changed.id()).orElseThrow(() -> new ExpertNotFoundException(changed.id()));
        return replace(changed.toBuilder().apiKey(key.keyFor(current, changed)).build());
    }

    /**
     * Replaces an existing expert's definition, key included, as given; its client and guards are rebuilt
     * on next use. Callers that do not hold the expert's key use {@link #update}.
     */
    public Expert replace(Expert expert) {
        check(expert);
        if (!store.update(expert)) {
            throw new ExpertNotFoundException(expert.id());
        }
        return expert;
    }

    /** Adds or replaces an expert, as configuration does at start-up. */
    public Expert put(Expert expert) {
        check(expert);
        store.put(expert);
        return expert;
    }

    /** Removes an expert; returns whether it existed. */
    public boolean remove(String id) {
        boolean removed = store.delete(id);
        clients.forget(id);
        return removed;
    }

    /** The resilient client of an expert; every call through it is observed on the {@link ExpertCallMeters}. */
    public ExpertClient clientFor(Expert expert) {
        return clients.clientFor(expert);
    }

    /** The last active check of the expert's endpoint, when it has been checked. */
    public Optional<Reachability.Check> lastCheck(String expertId) {
        return reachability == null ? Optional.empty() : reachability.last(expertId);
    }

    /** The expert's health: unreachable by its last active check, else what its circuit says. */
    public ExpertHealth health(String expertId) {
        if (reachability != null && reachability.unreachable(expertId)) {
            return ExpertHealth.UNREACHABLE;
        }
        return clients.health(expertId);
    }

    private void check(Expert expert) {
        for (String skill : expert.skills()) {
            if (!knownSkill.test(skill)) {
                throw new InvalidExpertException("skills", skill, "must contain only skill ids of the taxonomy");
            }
        }
        for (String domain : expert.domains()) {
            if (!knownSkill.test(domain)) {
                throw new InvalidExpertException("domains", domain, "must contain only skill ids of the taxonomy");
            }
        }
        Secret key = expert.apiKey();
        if (key != null && key.reveal().length() < MIN_API_KEY_LENGTH) {
            throw new InvalidExpertException("api-key", key, "must have at least " + MIN_API_KEY_LENGTH
                    + " characters, since every stored key is redacted from upstream messages wherever it appears");
        }
        if (!clients.supports(expert.provider())) {
            throw new InvalidExpertException("provider", expert.provider().id(), "is not available in this build yet");
        }
        checkEgress(expert);
        clients.check(expert);
    }

    private void checkEgress(Expert expert) {
        URI baseUrl = expert.baseUrl();
        if (baseUrl == null || !expert.provider().isRemote()) {
            return; // mock and local experts call nobody
        }
        try {
            clients.egressPolicy().check(baseUrl);
        } catch (EgressRefusedException refused) {
            throw new InvalidExpertException("base-url", baseUrl.toString(), "is refused: " + refused.reason());
        } catch (UnknownHostException unresolved) {
            // Accepted on purpose: a service that is not up yet often has no DNS entry yet, and refusing it
            // would stop the start. Every call checks again, and a name that resolves nowhere calls nobody.
        }
    }
}
