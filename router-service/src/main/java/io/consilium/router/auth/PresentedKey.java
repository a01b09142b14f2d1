package io.consilium.router.auth;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A key as a request presented it, before any provider has checked it. */
final class PresentedKey extends AbstractAuthenticationToken {

    private final String key;
    /** Worked out once: the admin key's provider and the API keys' provider both look the key up by it. */
    private @Nullable String hash;

    PresentedKey(String key) {
        super(List.of());
        this.key = key;
        setAuthenticated(false);
    }

    @Override
    public String getCredentials() {
        return key;
    }

    /** The key's stored form, {@link KeyMaterial#hash}. */
    String hash() {
        if (hash == null) {
            hash = KeyMaterial.hash(key);
        }
        return hash;
    }

    @Override
    public String getPrincipal() {
        // Never the key itself: Spring Security may log or expose the principal of a failed attempt.
        return "presented-key";
    }
}
