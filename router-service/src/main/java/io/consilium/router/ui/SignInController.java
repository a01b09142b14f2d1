package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
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

    SignInController(AdminSessions sessions) {
        this.sessions = sessions;
    }

    @GetMapping(AdminPageGuard.SIGN_IN)
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

    @PostMapping(AdminPageGuard.SIGN_IN)
    String signIn(HttpServletRequest request, HttpServletResponse response,
            @RequestParam(name = "admin_key", defaultValue = "") String key,
            @RequestParam(defaultValue = "") String next, Model model) {
        if (sessions.signIn(request, key)) {
            return "redirect:" + NextPage.orOverview(next);
        }
        response.setStatus(HttpStatus.UNAUTHORIZED.value());
        model.addAttribute("next", NextPage.isSafe(next) ? next : "");
        model.addAttribute("keyError", key.isBlank() ? "Enter the admin key." : "That is not the admin key.");
        return "admin/sign-in";
    }

    @PostMapping("/admin/sign-out")
    String signOut(HttpServletRequest request) {
        sessions.signOut(request);
        return "redirect:" + AdminPageGuard.SIGN_IN + "?signed-out";
    }
}
