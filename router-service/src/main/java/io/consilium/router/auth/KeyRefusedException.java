package io.consilium.router.auth;

import org.springframework.security.core.AuthenticationException;

/** A presented key that is not a live key: unknown, revoked or expired; or two different keys at once. */
final class KeyRefusedException extends AuthenticationException {

    enum Reason {
        UNKNOWN("invalid_api_key", "Incorrect API key provided."),
        REVOKED("revoked_api_key", "This API key was revoked."),
        EXPIRED("expired_api_key", "This API key has expired."),
        CONFLICTING("conflicting_api_keys", "The request sends two different keys, as x-api-key and as a bearer token;"
                + " send one.");

        private final String code;
        private final String message;

        Reason(String code, String message) {
            this.code = code;
            this.message = message;
        }

        String code() {
            return code;
        }

        String message() {
            return message;
        }
    }

    private final Reason reason;

    KeyRefusedException(Reason reason) {
        super(reason.message());
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
