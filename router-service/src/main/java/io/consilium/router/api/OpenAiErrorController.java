package io.consilium.router.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that happen outside controllers (the servlet container's own) in the OpenAI shape
 * too, never with a stack trace or an HTML page.
 */
@RestController
class OpenAiErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<OpenAiError> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        String type = status.is5xxServerError() ? "server_error" : "invalid_request_error";
        return OpenAiErrorAdvice.respond(new ApiException(status, type, null, null, status.getReasonPhrase(), null));
    }
}
