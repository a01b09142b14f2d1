package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Browser sessions of the admin UI: signing in with the admin key, signing out, and the per-session
 * CSRF token that every state-changing request of a signed-in browser must carry. A session lets the
 * browser call the admin and {@code /v1} JSON APIs without holding the admin key in page script.
 *
 * <p>Sessions live in the servlet container of the replica that signed the browser in; with several
 * replicas the UI needs sticky sessions (or signing in again after a switch).
 */
public final class AdminSessions {

    /** Header that htmx and {@code fetch()} calls send the token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Form field that plain HTML forms send the token in. */
    public static final String CSRF_PARAMETER = "_csrf";

    private static final String SIGNED_IN = AdminSessions.class.getName() + ".signedIn";
    private static final String CSRF_TOKEN = AdminSessions.class.getName() + ".csrf";
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** A session made only to show the sign-in form should not linger. */
    private static final Duration SIGN_IN_FORM_LIFETIME = Duration.ofMinutes(10);
    private static final Duration SIGNED_IN_IDLE = Duration.ofHours(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminKey adminKey;

    AdminSessions(AdminKey adminKey) {
        this.adminKey = adminKey;
    }

    /** The CSRF token of the browser's session, starting a short session if there is none (the sign-in form needs one). */
    public String csrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            session = request.getSession(true);
            session.setMaxInactiveInterval((int) SIGN_IN_FORM_LIFETIME.toSeconds());
        }
        Object token = session.getAttribute(CSRF_TOKEN);
        if (token instanceof String existing) {
            return existing;
        }
        String fresh = newToken();
        session.setAttribute(CSRF_TOKEN, fresh);
        return fresh;
    }

    /**
     * Signs the browser in when the key is the admin key. The session gets a new id and a new CSRF token,
     * so that an id or token seen before signing in is worth nothing afterwards.
     */
    public boolean signIn(HttpServletRequest request, String presentedKey) {
        if (presentedKey.isBlank() || !adminKey.matches(presentedKey.strip())) {
            return false;
        }
        request.getSession(true);
        request.changeSessionId();
        HttpSession session = request.getSession(false);
        session.setAttribute(SIGNED_IN, Boolean.TRUE);
        session.setAttribute(CSRF_TOKEN, newToken());
        session.setMaxInactiveInterval((int) SIGNED_IN_IDLE.toSeconds());
        return true;
    }

    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    public boolean isSignedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null && Boolean.TRUE.equals(session.getAttribute(SIGNED_IN));
    }

    /** Whether the request carries its session's CSRF token, as the header or as the form field. */
    public boolean csrfValid(HttpServletRequest request) {
        String presented = request.getHeader(CSRF_HEADER);
        if (presented == null) {
            presented = request.getParameter(CSRF_PARAMETER);
        }
        return matchesSessionToken(request, presented);
    }

    public static boolean isStateChanging(HttpServletRequest request) {
        return STATE_CHANGING.contains(request.getMethod());
    }

    /**
     * For the authentication filter: whether a request that presents no key comes from a signed-in
     * browser. Such a request that changes state must carry the CSRF header (never a form field: the JSON
     * APIs take no forms), or it is refused with a 403, since the browser attaches the cookie by itself.
     */
    boolean admitsBySession(HttpServletRequest request) {
        if (request.getHeader(HttpHeaders.AUTHORIZATION) != null || !isSignedIn(request)) {
            return false;
        }
        if (isStateChanging(request) && !matchesSessionToken(request, request.getHeader(CSRF_HEADER))) {
            throw new ApiException(HttpStatus.FORBIDDEN, "permission_error", "csrf_token_invalid", null,
                    "This request uses the admin session but lacks its CSRF token: send the token of the page's "
                            + "csrf-token meta tag as the " + CSRF_HEADER + " header, or reload the page.", null);
        }
        return true;
    }

    private static boolean matchesSessionToken(HttpServletRequest request, @Nullable String presented) {
        HttpSession session = request.getSession(false);
        if (presented == null || session == null || !(session.getAttribute(CSRF_TOKEN) instanceof String expected)) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
