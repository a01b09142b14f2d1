package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;

/** Who is calling: the admin, the holder of an API key, or anyone (when anonymous access is on). */
public sealed interface Caller {

    Caller ADMIN = new Admin();
    Caller ANONYMOUS = new Anonymous();

    /** The caller that security recognised for this request; anonymous when it recognised none. */
    static Caller of(HttpServletRequest request) {
        return request.getUserPrincipal() instanceof CallerAuthentication authentication
                ? authentication.getPrincipal() : ANONYMOUS;
    }

    /** Whether the caller may use this model (virtual model name or expert id). */
    boolean mayUse(String model);

    /** The most tokens one request may ask for; 0 means no ceiling. */
    default int maxTokens() {
        return 0;
    }

    /** Throws a 403 unless the caller may use the model. */
    default void checkModel(String model) {
        if (!mayUse(model)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "permission_error", "model_not_allowed", "model",
                    "This API key may not use the model '" + model + "'.", null);
        }
    }

    record Admin() implements Caller {
        @Override
        public boolean mayUse(String model) {
            return true;
        }
    }

    record Anonymous() implements Caller {
        @Override
        public boolean mayUse(String model) {
            return true;
        }
    }

    record KeyHolder(ApiKey key) implements Caller {
        @Override
        public boolean mayUse(String model) {
            return key.allows(model);
        }

        @Override
        public int maxTokens() {
            return key.maxTokens();
        }
    }

    /** The API key behind the caller, if any. */
    default @Nullable ApiKey apiKey() {
        return this instanceof KeyHolder(ApiKey key) ? key : null;
    }
}
