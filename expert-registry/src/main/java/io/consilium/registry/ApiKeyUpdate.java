package io.consilium.registry;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a change to an expert does with its stored provider key. A key stays bound to the endpoint it was
 * given for: it may be kept only while the base URL and the provider stay the same. Otherwise whoever may
 * edit an expert, without knowing its key, could point it at a host of their own and read the key from
 * the next request the service sends there.
 */
public sealed interface ApiKeyUpdate {

    /** Keep the stored key: the change omitted it, or sent back the {@link Secret#MASK} a read showed. */
    static ApiKeyUpdate keep() {
        return new Keep();
    }

    /** Drop the stored key. */
    static ApiKeyUpdate remove() {
        return new Remove();
    }

    /** Store this key instead. */
    static ApiKeyUpdate replace(Secret key) {
        return new Replace(key);
    }

    /**
     * The key the changed definition gets.
     *
     * @throws InvalidExpertException naming {@code api-key} when the stored key would be kept for another
     *     base URL or provider
     */
    default @Nullable Secret keyFor(Expert current, Expert changed) {
        return switch (this) {
            case Replace replace -> replace.key();
            case Remove remove -> null;
            case Keep keep -> {
                Secret stored = current.apiKey();
                if (stored != null && !sameEndpoint(current, changed)) {
                    throw new InvalidExpertException("api-key", "the stored key", "must be sent again when base_url "
                            + "or provider changes, since a key stays bound to the endpoint it was given for: send "
                            + "the key again, or \"api_key\": null to drop it");
                }
                yield stored;
            }
        };
    }

    private static boolean sameEndpoint(Expert current, Expert changed) {
        return current.provider() == changed.provider() && Objects.equals(current.baseUrl(), changed.baseUrl());
    }

    /** See {@link #keep()}. */
    record Keep() implements ApiKeyUpdate {}

    /** See {@link #remove()}. */
    record Remove() implements ApiKeyUpdate {}

    /** See {@link #replace(Secret)}. */
    record Replace(Secret key) implements ApiKeyUpdate {}
}
