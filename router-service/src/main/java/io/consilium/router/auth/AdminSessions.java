package io.consilium.router.auth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;

/**
 * Browser sessions of the admin UI: signing in with the admin key, signing out, and the session's CSRF
 * token that every state-changing request of a signed-in browser must carry (Spring Security checks it).
 * A session lets the browser call the admin and {@code /v1} JSON APIs without holding the admin key in
 * page script.
 *
 * <p>Sessions live in the servlet container of the replica that signed the browser in; with several
 * replicas the UI needs sticky sessions (or signing in again after a switch).
 */
public final class AdminSessions {

    /** The sign-in page, the one page of the UI open to everyone. */
    public static final String SIGN_IN_PAGE = "/admin/sign-in";
    /** Header that htmx and {@code fetch()} calls send the token in. */
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Form field that plain HTML forms send the token in. */
    public static final String CSRF_PARAMETER = "_csrf";

    /** A session made only to show the sign-in form should not linger. */
    private static final Duration SIGN_IN_FORM_LIFETIME = Duration.ofMinutes(10);
    private static final Duration SIGNED_IN_IDLE = Duration.ofHours(1);

    private final AdminKey adminKey;
    private final SecurityContextRepository contexts;
    private final CsrfTokenRepository csrfTokens;
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    AdminSessions(AdminKey adminKey, SecurityContextRepository contexts, CsrfTokenRepository csrfTokens) {
        this.adminKey = adminKey;
        this.contexts = contexts;
        this.csrfTokens = csrfTokens;
    }

    /**
     * The CSRF token for the page being rendered, starting a short session if there is none (the sign-in
     * form needs one). Empty when security did not run for the request.
     */
    public String csrfToken(HttpServletRequest request) {
        if (!(request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token)) {
            return "";
        }
        String value = token.getToken();
        HttpSession session = request.getSession(false);
        if (session != null && session.isNew()) {
            session.setMaxInactiveInterval((int) SIGN_IN_FORM_LIFETIME.toSeconds());
        }
        return value;
    }

    /**
     * Signs the browser in when the key is the admin key. The session gets a new id and a new CSRF token,
     * so that an id or token seen before signing in is worth nothing afterwards.
     */
    public boolean signIn(HttpServletRequest request, HttpServletResponse response, String presentedKey) {
        if (presentedKey.isBlank() || !adminKey.matches(presentedKey.strip())) {
            return false;
        }
        request.getSession(true);
        request.changeSessionId();
        csrfTokens.saveToken(csrfTokens.generateToken(request), request, response);
        SecurityContext context = holder.createEmptyContext();
        context.setAuthentication(CallerAuthentication.admin());
        holder.setContext(context);
        contexts.saveContext(context, request, response);
        request.getSession(false).setMaxInactiveInterval((int) SIGNED_IN_IDLE.toSeconds());
        return true;
    }

    public void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        holder.clearContext();
    }

    public boolean isSignedIn(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null
                && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)
                        instanceof SecurityContext context
                && context.getAuthentication() instanceof CallerAuthentication authentication
                && authentication.getPrincipal() == Caller.ADMIN;
    }
}
