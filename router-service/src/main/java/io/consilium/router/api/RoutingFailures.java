package io.consilium.router.api;

import io.consilium.router.routing.InvalidRoutingRequestException;
import io.consilium.router.routing.NoEligibleExpertException;
import io.consilium.router.routing.RoutingException;
import java.time.Duration;
import org.springframework.http.HttpStatus;

/** The one place where a routing failure becomes the error a client sees. */
public final class RoutingFailures {

    /** Soon enough for an open circuit to half-open or a rate-limit hold to pass. */
    private static final Duration NO_EXPERT_RETRY_AFTER = Duration.ofSeconds(5);

    private RoutingFailures() {}

    public static ApiException toApiException(RoutingException failure) {
        return switch (failure) {
            case InvalidRoutingRequestException invalid -> ApiException.invalidRequest(invalid.field(), invalid.getMessage());
            case NoEligibleExpertException none -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                    "service_unavailable_error", "no_expert_available", null, none.getMessage(), NO_EXPERT_RETRY_AFTER);
        };
    }
}
