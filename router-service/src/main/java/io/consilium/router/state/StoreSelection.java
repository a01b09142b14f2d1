package io.consilium.router.state;

import io.consilium.registry.SecretCipher;
import io.consilium.router.config.ConsiliumProperties;
import java.util.Objects;
import org.springframework.core.env.Environment;

/**
 * Checks {@code consilium.store} and what the chosen store needs before any bean is made: a typo must
 * stop the start with a message that names the property and the value, not with a missing bean.
 */
public final class StoreSelection {

    public static final String MEMORY = "memory";
    public static final String REDIS = "redis";
    static final String MASTER_KEY = "consilium.security.master-key";

    private StoreSelection() {}

    static void check(Environment environment) {
        String store = environment.getProperty("consilium.store", MEMORY);
        if (!store.equals(MEMORY) && !store.equals(REDIS)) {
            throw new IllegalStateException("consilium.store must be '" + MEMORY + "' or '" + REDIS + "', but was '"
                    + store + "'");
        }
        if (store.equals(REDIS)) {
            String masterKey = environment.getProperty(MASTER_KEY);
            if (masterKey == null || masterKey.isBlank()) {
                throw new IllegalStateException(MASTER_KEY + " is required when consilium.store is redis: it encrypts"
                        + " the experts' api keys and the questions remembered for feedback kept in Redis. Set it (e.g. CONSILIUM_SECURITY_MASTERKEY) to the same"
                        + " secret of at least 16 characters on every replica");
            }
            masterCipher(masterKey);
        }
    }

    /** The cipher under the configured master key, for the stores that seal what they keep in Redis. */
    public static SecretCipher masterCipher(ConsiliumProperties properties) {
        return masterCipher(Objects.requireNonNull(properties.security().masterKey(), MASTER_KEY));
    }

    /** The cipher under the master key; a key it cannot use fails with a message naming the property. */
    static SecretCipher masterCipher(String masterKey) {
        try {
            return SecretCipher.withMasterKey(masterKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(MASTER_KEY + " cannot be used: " + e.getMessage(), e);
        }
    }
}
