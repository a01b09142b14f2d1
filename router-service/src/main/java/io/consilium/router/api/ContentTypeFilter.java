package io.consilium.router.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a {@code Content-Type} that names no concrete type ({@code *}/{@code *}, garbage) with a 415,
 * before Spring's request handling would fail on it with an internal error.
 */
final class ContentTypeFilter extends HttpFilter {

    private final JsonMapper json;

    ContentTypeFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getContentType();
        if (header != null && !header.isBlank() && !concrete(header)) {
            ErrorResponses.write(response, json, new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "invalid_request_error", "unsupported_media_type", null,
                    "The content-type '" + printable(header) + "' names no concrete media type; send application/json.",
                    null));
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean concrete(String header) {
        try {
            MediaType type = MediaType.parseMediaType(header);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static String printable(String header) {
        String shown = header.length() > 80 ? header.substring(0, 80) + "…" : header;
        return shown.replaceAll("[^\\x20-\\x7e…]", "?");
    }
}
