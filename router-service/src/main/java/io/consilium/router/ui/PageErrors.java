package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import io.consilium.router.state.StateUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Failures of UI pages become an error page that says what went wrong (or, for an htmx fragment, a short
 * text the page shows as a notice) instead of the JSON errors of the API. Runs before the API's advice,
 * and only for the UI's controllers.
 */
@ControllerAdvice(basePackageClasses = PageErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageErrors {

    private static final Logger log = LoggerFactory.getLogger(PageErrors.class);

    private final AdminSessions sessions;

    PageErrors(AdminSessions sessions) {
        this.sessions = sessions;
    }

    @ExceptionHandler(PageNotFoundException.class)
    @Nullable String notFound(PageNotFoundException e, HttpServletRequest request, HttpServletResponse response, Model model)
            throws IOException {
        return respond(request, response, model, HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(StateUnavailableException.class)
    @Nullable String stateUnavailable(StateUnavailableException e, HttpServletRequest request, HttpServletResponse response,
            Model model) throws IOException {
        return respond(request, response, model, HttpStatus.SERVICE_UNAVAILABLE, "Shared state unavailable",
                "Redis cannot be reached, so this page could not be built. The service keeps answering from its "
                        + "local copies; retry in a moment.");
    }

    @ExceptionHandler(Exception.class)
    @Nullable String unexpected(Exception e, HttpServletRequest request, HttpServletResponse response, Model model)
            throws IOException {
        log.error("Unexpected failure rendering {}", request.getRequestURI(), e);
        return respond(request, response, model, HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
                "The page could not be built. The service log has the details.");
    }

    /** The error page, or null when the message was written for htmx, which shows it as a notice. */
    private @Nullable String respond(HttpServletRequest request, HttpServletResponse response, Model model,
            HttpStatus status, String title, String message) throws IOException {
        response.setStatus(status.value());
        if ("true".equals(request.getHeader("HX-Request"))) {
            response.setContentType(MediaType.TEXT_PLAIN_VALUE + ";charset=UTF-8");
            response.getWriter().write(message);
            return null;
        }
        // The layout's sign-out form and scripts need the token; model attributes of the advice do not run here.
        model.addAttribute("csrfToken", sessions.csrfToken(request));
        model.addAttribute("title", title);
        model.addAttribute("message", message);
        return "admin/error";
    }
}
