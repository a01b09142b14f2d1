package io.consilium.router.auth;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A recognised caller, as Spring Security holds it: the {@link Caller} is the principal, its role the one
 * authority the routes are checked against. No credentials are kept once a key was recognised.
 */
final class CallerAuthentication extends AbstractAuthenticationToken {

    static final String ADMIN = "ADMIN";
    static final String CLIENT = "CLIENT";

    private final Caller caller;

    private CallerAuthentication(Caller caller, String role) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + role)));
        this.caller = caller;
        setAuthenticated(true);
    }

    static CallerAuthentication admin() {
        return new CallerAuthentication(Caller.ADMIN, ADMIN);
    }

    static CallerAuthentication keyHolder(ApiKey key) {
        return new CallerAuthentication(new Caller.KeyHolder(key), CLIENT);
    }

    @Override
    public Caller getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.apiKey() instanceof ApiKey key ? key.id() : "admin";
    }

    @Override
    public Object getCredentials() {
        return "";
    }
}
