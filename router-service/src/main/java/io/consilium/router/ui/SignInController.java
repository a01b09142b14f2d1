package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import io.consilium.router.auth.SignInThrottle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Signing in with the admin key, and out. */
@Controller
class SignInController {

    private final AdminSessions sessions;
    private final SignInThrottle throttle;

    SignInController(AdminSessions sessions, SignInThrottle throttle) {
        this.sessions = sessions;
        this.throttle = throttle;
    }

    @GetMapping(AdminSessions.SIGN_IN_PAGE)
    String form(HttpServletRequest request, @RequestParam(required = false) @Nullable String next,
            @RequestParam(required = false) @Nullable String expired, @RequestParam(required = false) @Nullable String retry,
            @RequestParam(name = "signed-out", required = false) @Nullable String signedOut, Model model) {
        if (sessions.isSignedIn(request)) {
            return "redirect:" + NextPage.orOverview(next);
        }
        model.addAttribute("next", NextPage.isSafe(next) ? next : "");
        if (expired != null) {
            model.addAttribute("notice", "Your session ended. Sign in again to continue.");
        } else if (retry != null) {
            model.addAttribute("notice", "The sign-in form had expired. Enter the key again.");
        } else if (signedOut != null) {
            model.addAttribute("notice", "You are signed out.");
        }
        return "admin/sign-in";
    }

    @PostMapping(AdminSessions.SIGN_IN_PAGE)
    String signIn(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "admin_key", defaultValue = "") String key,
            @RequestParam(defaultValue = "") String next, Model model) {
        model.addAttribute("next", NextPage.isSafe(next) ? next : "");
        String address = request.getRemoteAddr();
        Optional<Duration> wait = throttle.waitBeforeAttempt(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().plusMillis(999).toSeconds());
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            model.addAttribute("keyError", "Too many failed sign-ins from your address. Try again in " + seconds + " s.");
            return "admin/sign-in";
        }
        // Redirects stay relative (server.tomcat.use-relative-redirects), so a forged Host header is never echoed.
        if (sessions.signIn(request, response, key)) {
            throttle.succeeded(address);
            return "redirect:" + NextPage.orOverview(next);
        }
        throttle.failed(address);
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        model.addAttribute("keyError", key.isBlank() ? "Enter the admin key." : "That is not the admin key.");
        return "admin/sign-in";
    }

    @PostMapping("/admin/sign-out")
    String signOut(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:" + AdminSessions.SIGN_IN_PAGE + "?signed-out";
    }
}
