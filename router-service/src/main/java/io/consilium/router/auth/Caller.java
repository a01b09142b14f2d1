package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: the admin, the holder of an API key, or anyone (when anonymous access is on). */
public sealed interface Caller {

    Caller ADMIN = new Admin();
    Caller ANONYMOUS = new Anonymous();

    /** The caller that security recognised for this request; anonymous when it recognised none. */
    static Caller of(HttpServletRequest request) {
        // The keyed chain leaves out the servlet API wrapper that would answer getUserPrincipal(): while the
        // request runs, its caller is in the security context; the principal covers code outside the chain.
        Object principal = SecurityContextHolder.getContext().getAuthentication() instanceof CallerAuthentication current
                ? current : request.getUserPrincipal();
        return principal instanceof CallerAuthentication authentication ? authentication.getPrincipal() : ANONYMOUS;
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

    /**
     * Whose the things this caller stores are (files, batches, stored responses): its API key's, the
     * admin's, or anonymous callers'.
     */
    default String owner() {
        ApiKey key = apiKey();
        if (key != null) {
            return "key:" + key.id();
        }
        return this instanceof Admin ? "admin" : "anonymous";
    }

    /**
     * Whether the caller may see what {@code owner} stored: a key sees only what it made, the admin sees
     * everything. For anyone else the thing answers 404, as if it did not exist.
     */
    default boolean maySee(String owner) {
        return this instanceof Admin || owner().equals(owner);
    }
}
