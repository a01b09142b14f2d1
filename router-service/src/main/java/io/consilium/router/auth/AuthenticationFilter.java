package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a request in only with the right key: the admin key for {@code /admin/api}, an API key (or the
 * admin key) for {@code /v1}, unless anonymous access is on. Refusals happen here, before anything is
 * parsed or any expert is called. Admitted API-key requests pass their key's rate limits and are
 * charged the tokens they used. A request with no key from a browser signed in to the admin UI is the
 * admin (see {@link AdminSessions}).
 */
final class AuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final AdminKey adminKey;
    private final AdminSessions sessions;
    private final RateLimits limits;
    private final boolean anonymous;
    private final JsonMapper json;

    AuthenticationFilter(ApiKeys keys, AdminKey adminKey, AdminSessions sessions, RateLimits limits, boolean anonymous,
            JsonMapper json) {
        this.keys = keys;
        this.adminKey = adminKey;
        this.sessions = sessions;
        this.limits = limits;
        this.anonymous = anonymous;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            Caller caller = sessions.admitsBySession(request) ? Caller.ADMIN
                    : request.getRequestURI().startsWith("/admin/") ? admin(request) : user(request);
            request.setAttribute(Caller.ATTRIBUTE, caller);
            ApiKey key = caller.apiKey();
            if (key == null) {
                chain.doFilter(request, response);
                return;
            }
            limits.admit(key);
            TokenMeter meter = new TokenMeter();
            try {
                ScopedValue.where(TokenMeter.CURRENT, meter).call(() -> {
                    chain.doFilter(request, response);
                    return null;
                });
            } finally {
                limits.charge(key, meter.tokens());
            }
        } catch (ApiException refused) {
            if (refused.status() == HttpStatus.UNAUTHORIZED) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            }
            ErrorResponses.write(response, json, refused);
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }

    private Caller admin(HttpServletRequest request) {
        String presented = presentedKey(request);
        if (presented == null) {
            throw unauthorized("missing_admin_key", "The admin API needs the admin key: send \"Authorization: Bearer <admin key>\".");
        }
        if (adminKey.matches(presented)) {
            return Caller.ADMIN;
        }
        if (keys.recognise(presented).status() == ApiKeys.Recognition.Status.LIVE) {
            throw new ApiException(HttpStatus.FORBIDDEN, "permission_error", "admin_key_required", null,
                    "API keys cannot use the admin API; use the admin key.", null);
        }
        throw unauthorized("invalid_admin_key", "The admin key is not correct.");
    }

    private Caller user(HttpServletRequest request) {
        String presented = presentedKey(request);
        if (presented == null) {
            if (anonymous) {
                return Caller.ANONYMOUS;
            }
            throw unauthorized("missing_api_key", "This request needs an API key: send \"Authorization: Bearer <key>\".");
        }
        if (adminKey.matches(presented)) {
            return Caller.ADMIN;
        }
        ApiKeys.Recognition recognition = keys.recognise(presented);
        return switch (recognition.status()) {
            case LIVE -> new Caller.KeyHolder(recognition.key());
            case REVOKED -> throw unauthorized("revoked_api_key", "This API key was revoked.");
            case EXPIRED -> throw unauthorized("expired_api_key", "This API key has expired.");
            case UNKNOWN -> throw unauthorized("invalid_api_key", "Incorrect API key provided.");
        };
    }

    private static @Nullable String presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = header.substring(BEARER.length()).strip();
        return key.isEmpty() ? null : key;
    }

    private static ApiException unauthorized(String code, String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_request_error", code, null, message, null);
    }
}
