package io.consilium.router.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Writes an OpenAI-shaped error from a servlet filter, where no controller advice applies. */
public final class ErrorResponses {

    private ErrorResponses() {}

    public static void write(HttpServletResponse response, JsonMapper json, ApiException error) throws IOException {
        response.setStatus(error.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        if (error.retryAfter() != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, error.retryAfter().toSeconds())));
        }
        json.writeValue(response.getOutputStream(), error.toError());
    }
}
