package io.consilium.router.routing;

/** No enabled, healthy expert may answer the request: a moment later one may be. */
public final class NoEligibleExpertException extends RoutingException {

    NoEligibleExpertException(String message) {
        super(message);
    }
}
