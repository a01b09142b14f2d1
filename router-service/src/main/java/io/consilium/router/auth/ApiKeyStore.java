package io.consilium.router.auth;

import io.consilium.router.state.ReplicaSource;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys (as hashes) and the admin key's hash are kept; shared by every replica, each of which
 * recognises keys from its own copy and writes it back when the store lost its data.
 */
public interface ApiKeyStore extends ReplicaSource<ApiKey> {

    /** Stores a new key. */
    void create(ApiKey key);

    @Override
    Optional<ApiKey> find(String id);

    /** Every key, revoked ones included, ordered by creation time. */
    @Override
    List<ApiKey> findAll();

    /** Replaces a stored key (used to mark it revoked); returns whether it existed. */
    boolean update(ApiKey key);

    /** The hash of the admin key the service generated, if one was generated before. */
    Optional<String> generatedAdminKeyHash();

    /** Stores the generated admin key's hash unless one is stored already; returns whether this one was stored. */
    boolean storeGeneratedAdminKeyHash(String hash);
}
