package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * How the UI's pages answer a browser that security stops: without a signed-in session it is sent to the
 * sign-in page (remembering a plain page to come back to), and a form or script call without the
 * session's CSRF token is refused. Redirects are relative, so no {@code Host} header is ever reflected.
 */
final class UiSecurity implements AuthenticationEntryPoint, AccessDeniedHandler {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException notSignedIn)
            throws IOException {
        if ("true".equals(request.getHeader("HX-Request"))) {
            // htmx would follow a redirect and swap the sign-in page into a fragment; this makes it navigate.
            response.setHeader("HX-Redirect", AdminSessions.SIGN_IN_PAGE + "?expired");
            response.setStatus(HttpStatus.NO_CONTENT.value());
            return;
        }
        String target = request.getRequestURI();
        boolean plainPage = "GET".equals(request.getMethod()) && NextPage.isSafe(target) && !"/admin".equals(target);
        response.sendRedirect(plainPage
                ? AdminSessions.SIGN_IN_PAGE + "?next=" + URLEncoder.encode(target, StandardCharsets.UTF_8)
                : AdminSessions.SIGN_IN_PAGE);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof CsrfException && AdminSessions.SIGN_IN_PAGE.equals(request.getRequestURI())) {
            // The form outlived its session: show it again, with a fresh token.
            response.sendRedirect(AdminSessions.SIGN_IN_PAGE + "?retry");
            return;
        }
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8");
        response.getWriter().write("The page's security token did not match this session. Reload the page and try again.");
    }
}
