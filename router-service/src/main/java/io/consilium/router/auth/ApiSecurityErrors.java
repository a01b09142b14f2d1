package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the JSON APIs answer a request that security stops: in the OpenAI error shape, with the status and
 * code a client can act on. A missing or wrong key is a 401 (with {@code WWW-Authenticate: Bearer}); a
 * key of the wrong kind, or a session request without its CSRF token, a 403; a path the firewall refuses
 * a 400.
 */
final class ApiSecurityErrors implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private final RequestMatcher adminApi;
    private final JsonMapper json;

    ApiSecurityErrors(RequestMatcher adminApi, JsonMapper json) {
        this.adminApi = adminApi;
        this.json = json;
    }

    /** No key, or a key that is not accepted here. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        boolean admin = adminApi.matches(request);
        boolean presented = BearerKeyFilter.presentsAKey(request);
        ApiException refusal;
        if (!presented) {
            refusal = admin
                    ? unauthorized("missing_admin_key", "The admin API needs the admin key: send \"Authorization: Bearer <admin key>\".")
                    : BearerKeyFilter.takesXApiKey(request)
                            ? unauthorized("missing_api_key", "This request needs an API key: send \"x-api-key: <key>\""
                                    + " or \"Authorization: Bearer <key>\".")
                            : unauthorized("missing_api_key", "This request needs an API key: send \"Authorization: Bearer <key>\".");
        } else if (admin) {
            refusal = unauthorized("invalid_admin_key", "The admin key is not correct.");
        } else {
            KeyRefusedException.Reason reason = failure instanceof KeyRefusedException refused
                    ? refused.reason() : KeyRefusedException.Reason.UNKNOWN;
            refusal = unauthorized(reason.code(), reason.message());
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        ErrorResponses.write(response, json, refusal);
    }

    /** A recognised caller without the right to the route, or a session request without its CSRF token. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        ApiException refusal = denied instanceof CsrfException
                ? forbidden("csrf_token_invalid", "This request uses the admin session but lacks its CSRF token: send "
                        + "the token of the page's csrf-token meta tag as the " + AdminSessions.CSRF_HEADER
                        + " header, or reload the page.")
                : forbidden("admin_key_required", "API keys cannot use the admin API; use the admin key.");
        ErrorResponses.write(response, json, refusal);
    }

    /** A path the firewall refuses: never routed, never authorised, whatever it would have normalised to. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        ErrorResponses.write(response, json, new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error",
                "invalid_path", null, "The request path is not allowed: matrix parameters (;), encoded slashes, "
                        + "periods or percent signs, backslashes, double slashes and control characters are refused.",
                null));
    }

    private static ApiException unauthorized(String code, String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, "invalid_request_error", code, null, message, null);
    }

    private static ApiException forbidden(String code, String message) {
        return new ApiException(HttpStatus.FORBIDDEN, "permission_error", code, null, message, null);
    }
}
