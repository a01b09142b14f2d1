package io.consilium.router.api;

import io.consilium.aggregator.NoAnswerException;
import io.consilium.aggregator.NoValidAnswerException;
import io.consilium.registry.ExpertException;
import io.consilium.registry.ExpertForbiddenException;
import io.consilium.registry.ExpertRateLimitedException;
import io.consilium.registry.ExpertRejectedRequestException;
import io.consilium.registry.ExpertTimeoutException;
import io.consilium.registry.ExpertUnavailableException;
import java.time.Duration;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * The one place where an expert's failure, or the failure of all the experts of a request, becomes the
 * status and error the client sees.
 */
public final class ExpertFailures {

    /** Upstream refusals that are about the request itself, which the client can fix. */
    private static final Set<Integer> CLIENT_FIXABLE = Set.of(400, 404, 413, 422);

    private ExpertFailures() {}

    public static ApiException toApiException(ExpertException failure, Duration circuitRetryAfter) {
        String message = failure.getMessage();
        return switch (failure) {
            case ExpertTimeoutException timeout ->
                    new ApiException(HttpStatus.GATEWAY_TIMEOUT, "timeout_error", "upstream_timeout", null, message, null);
            case ExpertRateLimitedException limited ->
                    new ApiException(HttpStatus.TOO_MANY_REQUESTS, "rate_limit_error", "upstream_rate_limited", null,
                            message, limited.retryAfter().orElse(Duration.ofSeconds(1)));
            case ExpertUnavailableException unavailable ->
                    new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "service_unavailable_error", "expert_unavailable",
                            null, message, unavailable.reason() == ExpertUnavailableException.Reason.CIRCUIT_OPEN
                                    ? circuitRetryAfter : Duration.ofSeconds(1));
            // Refused in this process, before any model ran, naming the field: the client's own mistake.
            case ExpertRejectedRequestException rejected when rejected.param() != null ->
                    ApiException.invalidRequest(rejected.param(), rejected.upstreamMessage());
            case ExpertRejectedRequestException rejected when CLIENT_FIXABLE.contains(rejected.status()) ->
                    new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_error", "upstream_rejected_request",
                            null, message, null);
            case ExpertForbiddenException forbidden ->
                    new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "expert_forbidden", null, message, null);
            default -> new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "upstream_error", null, message, null);
        };
    }

    /**
     * The experts answered, but no answer (the aggregator's included) met the request's response_format or
     * tool rules: a 502 saying which constraint and why each answer was refused.
     */
    public static ApiException toApiException(NoValidAnswerException failure) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "no_valid_answer", null,
                failure.getMessage(), null);
    }

    /** No expert of the request answered, so there was nothing to fuse: a 502 naming each and why. */
    public static ApiException toApiException(NoAnswerException failure) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "upstream_error", "no_expert_answered", null,
                failure.getMessage(), null);
    }
}
