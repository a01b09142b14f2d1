package io.consilium.router.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code Authorization: Bearer} key, for this request only: nothing is
 * stored in a session, and a session the browser may also hold is neither used nor renewed. A request
 * without a bearer key passes on unauthenticated (the session, anonymous access or the entry point
 * decide); a key no provider accepts is refused here, before anything else runs.
 */
final class BearerKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final AuthenticationManager authentication;
    private final AuthenticationEntryPoint refusal;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();
    /** Keeps the context for this request's own async dispatches (server-sent events), and no longer. */
    private final SecurityContextRepository thisRequest = new RequestAttributeSecurityContextRepository();

    BearerKeyFilter(AuthenticationManager authentication, AuthenticationEntryPoint refusal) {
        this.authentication = authentication;
        this.refusal = refusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = bearerKey(request);
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(authentication.authenticate(new PresentedKey(key)));
            contexts.setContext(context);
            thisRequest.saveContext(context, request, response);
        } catch (AuthenticationException refused) {
            contexts.clearContext();
            refusal.commence(request, response, refused);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The bearer key of the request, if it sent one; {@code null} for none or an empty one. */
    static @Nullable String bearerKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = header.substring(BEARER.length()).strip();
        return key.isEmpty() ? null : key;
    }
}
