package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Runs before every UI page and fragment: sends the browser to the sign-in page without a session,
 * refuses a state-changing request without the session's CSRF token, and sets the headers that keep the
 * pages from being framed, sniffed or cached.
 */
final class AdminPageGuard implements HandlerInterceptor {

    static final String SIGN_IN = "/admin/sign-in";
    /** Scripts and styles come only from this origin (no inline script), so injected markup cannot run code. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'self'; form-action 'self'";

    private final AdminSessions sessions;

    AdminPageGuard(AdminSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws IOException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        boolean signInPage = SIGN_IN.equals(request.getRequestURI());
        if (!signInPage && !sessions.isSignedIn(request)) {
            toSignIn(request, response);
            return false;
        }
        if (AdminSessions.isStateChanging(request) && !sessions.csrfValid(request)) {
            if (signInPage) {
                // The form outlived its session: show it again, with a fresh token.
                response.sendRedirect(SIGN_IN + "?retry");
            } else {
                response.setStatus(HttpStatus.FORBIDDEN.value());
                response.setContentType(MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8");
                response.getWriter().write("The page's security token did not match this session. Reload the page and try again.");
            }
            return false;
        }
        return true;
    }

    private static void toSignIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("true".equals(request.getHeader("HX-Request"))) {
            // htmx would follow a redirect and swap the sign-in page into a fragment; this makes it navigate.
            response.setHeader("HX-Redirect", SIGN_IN + "?expired");
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return;
        }
        String target = request.getRequestURI();
        boolean plainPage = "GET".equals(request.getMethod()) && NextPage.isSafe(target) && !"/admin".equals(target);
        response.sendRedirect(plainPage ? SIGN_IN + "?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8) : SIGN_IN);
    }
}
