package io.consilium.router.auth;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of the admin API and UI. A configured key is used as is; otherwise the first replica to start
 * generates one, prints it once and stores only its hash, which every later start (of any replica) reuses.
 */
public final class AdminKey {

    private static final Logger log = LoggerFactory.getLogger(AdminKey.class);

    private final String hash;

    private AdminKey(String hash) {
        this.hash = hash;
    }

    static AdminKey establish(@Nullable String configured, ApiKeyStore store) {
        if (configured != null && !configured.isBlank()) {
            return new AdminKey(KeyMaterial.hash(configured));
        }
        Optional<String> generatedBefore = store.generatedAdminKeyHash();
        if (generatedBefore.isPresent()) {
            log.info("Using the admin key generated at first start (only its hash is kept; "
                    + "set consilium.auth.admin-key to choose one)");
            return new AdminKey(generatedBefore.get());
        }
        String key = KeyMaterial.newKey(KeyMaterial.ADMIN_KEY_PREFIX);
        if (!store.storeGeneratedAdminKeyHash(KeyMaterial.hash(key))) {
            // Another replica generated one at the same moment; its key is the one.
            return new AdminKey(store.generatedAdminKeyHash().orElseThrow());
        }
        log.warn("""

                ==============================================================================
                Generated admin key (shown once, only its hash is stored):

                    {}

                Use it as "Authorization: Bearer <key>" on /admin/api and to sign in at /admin.
                Set consilium.auth.admin-key (CONSILIUM_AUTH_ADMIN_KEY) to choose your own.
                ==============================================================================""", key);
        return new AdminKey(KeyMaterial.hash(key));
    }

    public boolean matches(String presented) {
        return matchesHash(KeyMaterial.hash(presented));
    }

    /** Whether a presented key whose {@link KeyMaterial#hash hash} this is is the admin key. */
    boolean matchesHash(String presentedHash) {
        return KeyMaterial.sameHash(presentedHash, hash);
    }
}
