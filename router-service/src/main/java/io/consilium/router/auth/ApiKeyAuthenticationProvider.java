package io.consilium.router.auth;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/** Recognises live API keys; an unknown, revoked or expired key ends the attempt with the reason. */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeys keys;

    ApiKeyAuthenticationProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        ApiKeys.Recognition recognition = keys.recogniseHash(((PresentedKey) authentication).hash());
        return switch (recognition.status()) {
            case LIVE -> CallerAuthentication.keyHolder(java.util.Objects.requireNonNull(recognition.key()));
            case REVOKED -> throw new KeyRefusedException(KeyRefusedException.Reason.REVOKED);
            case EXPIRED -> throw new KeyRefusedException(KeyRefusedException.Reason.EXPIRED);
            case UNKNOWN -> throw new KeyRefusedException(KeyRefusedException.Reason.UNKNOWN);
        };
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedKey.class.isAssignableFrom(authentication);
    }
}
