package io.consilium.router.routing;

/**
 * A request that routing cannot plan. Routing says what went wrong in its own terms; the API's edge decides
 * the status a client sees.
 */
public abstract sealed class RoutingException extends RuntimeException
        permits InvalidRoutingRequestException, NoEligibleExpertException {

    RoutingException(String message) {
        super(message);
    }
}
