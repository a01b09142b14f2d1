package io.consilium.router.auth;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;

/** Recognises the admin key; leaves every other key to the next provider. */
final class AdminKeyAuthenticationProvider implements AuthenticationProvider {

    private final AdminKey adminKey;

    AdminKeyAuthenticationProvider(AdminKey adminKey) {
        this.adminKey = adminKey;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        PresentedKey presented = (PresentedKey) authentication;
        return adminKey.matchesHash(presented.hash()) ? CallerAuthentication.admin() : null;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedKey.class.isAssignableFrom(authentication);
    }
}
