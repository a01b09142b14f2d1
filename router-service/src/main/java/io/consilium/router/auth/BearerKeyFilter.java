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
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request by its {@code Authorization: Bearer} key, for this request only: nothing is
 * stored in a session, and a session the browser may also hold is neither used nor renewed. A request
 * without a bearer key passes on unauthenticated (the session, anonymous access or the entry point
 * decide); a key no provider accepts is refused here, before anything else runs. The Anthropic Messages
 * endpoint also takes the key as {@code x-api-key}, the header Anthropic's clients send; if a request sends
 * both headers they must hold the same key.
 */
final class BearerKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    static final String X_API_KEY = "x-api-key";
    /** The endpoint that takes {@value #X_API_KEY}, matched on the path Spring MVC dispatches on. */
    private static final RequestMatcher ANTHROPIC_MESSAGES = PathPatternRequestMatcher.pathPattern("/v1/messages");

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
        String key;
        try {
            key = presentedKey(request);
        } catch (KeyRefusedException conflicting) {
            contexts.clearContext();
            refusal.commence(request, response, conflicting);
            return;
        }
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

    /**
     * The key the request presents: its bearer key, or on the Anthropic Messages endpoint its {@value #X_API_KEY}
     * header; {@code null} for none or an empty one.
     *
     * @throws KeyRefusedException when the two headers hold different keys
     */
    static @Nullable String presentedKey(HttpServletRequest request) {
        String bearer = bearerKey(request);
        if (!ANTHROPIC_MESSAGES.matches(request)) {
            return bearer;
        }
        String header = request.getHeader(X_API_KEY);
        String apiKey = header == null || header.strip().isEmpty() ? null : header.strip();
        if (bearer != null && apiKey != null && !bearer.equals(apiKey)) {
            throw new KeyRefusedException(KeyRefusedException.Reason.CONFLICTING);
        }
        return bearer != null ? bearer : apiKey;
    }

    /** Whether the request presents a key at all, in a header this path takes it from. */
    static boolean presentsAKey(HttpServletRequest request) {
        if (bearerKey(request) != null) {
            return true;
        }
        String header = request.getHeader(X_API_KEY);
        return header != null && !header.isBlank() && ANTHROPIC_MESSAGES.matches(request);
    }

    /** Whether the request is to the endpoint that takes {@value #X_API_KEY}. */
    static boolean takesXApiKey(HttpServletRequest request) {
        return ANTHROPIC_MESSAGES.matches(request);
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
