package io.consilium.router.api;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/**
 * A request that ends in an OpenAI-shaped error. Built through the static factories so that each kind
 * of error has one status, type and code everywhere.
 */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final @Nullable String code;
    private final @Nullable String param;
    private final @Nullable Duration retryAfter;

    public ApiException(HttpStatus status, String type, @Nullable String code, @Nullable String param, String message,
            @Nullable Duration retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfter = retryAfter;
    }

    /** A 400 about one field of the request. */
    public static ApiException invalidRequest(@Nullable String param, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", null, param, message, null);
    }

    /** A 400 for a request larger than the context window of the expert it names, in OpenAI's shape for it. */
    public static ApiException contextLengthExceeded(long neededTokens, String expertId, int contextTokens) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "context_length_exceeded", "messages",
                "This request needs about " + neededTokens + " tokens (its messages' text and max_tokens), but the expert '"
                        + expertId + "' holds context_tokens " + contextTokens + ". Shorten the messages or max_tokens,"
                        + " or choose an expert with a larger context window.", null);
    }

    /** A 404 for a model that is neither a virtual model nor an enabled expert. */
    public static ApiException modelNotFound(String model) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", "model_not_found", "model",
                "The model '" + model + "' does not exist or is not enabled. GET /v1/models lists the models.", null);
    }

    /** A 404 for something else that does not exist. */
    public static ApiException notFound(String code, String message) {
        return new ApiException(HttpStatus.NOT_FOUND, "invalid_request_error", code, null, message, null);
    }

    /** A 413 for a body over the configured limit. */
    public static ApiException payloadTooLarge(long limitBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "invalid_request_error", "request_too_large", null,
                "The request body is larger than the limit of " + limitBytes + " bytes.", null);
    }

    public HttpStatus status() {
        return status;
    }

    public OpenAiError toError() {
        return OpenAiError.of(getMessage(), type, param, code);
    }

    public @Nullable Duration retryAfter() {
        return retryAfter;
    }
}
