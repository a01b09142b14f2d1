package io.consilium.router.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A key as a request presented it, before any provider has checked it. */
final class PresentedKey extends AbstractAuthenticationToken {

    private final String key;

    PresentedKey(String key) {
        super(List.of());
        this.key = key;
        setAuthenticated(false);
    }

    @Override
    public String getCredentials() {
        return key;
    }

    @Override
    public String getPrincipal() {
        // Never the key itself: Spring Security may log or expose the principal of a failed attempt.
        return "presented-key";
    }
}
