package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every UI page needs: the session's CSRF token, which the layout puts in a meta tag and in forms. */
@ControllerAdvice(basePackageClasses = PageModel.class)
class PageModel {

    private final AdminSessions sessions;

    PageModel(AdminSessions sessions) {
        this.sessions = sessions;
    }

    @ModelAttribute("csrfToken")
    String csrfToken(HttpServletRequest request) {
        return sessions.csrfToken(request);
    }
}
