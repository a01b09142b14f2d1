package io.consilium.router.responses;

import io.consilium.router.auth.ApiKey;
import io.consilium.router.auth.Caller;

/**
 * Who owns a stored response: the API key that made it, the admin, or anonymous callers. Only its owner
 * (and the admin) finds it; for everyone else it does not exist.
 */
final class ResponseOwners {

    private ResponseOwners() {}

    static String of(Caller caller) {
        ApiKey key = caller.apiKey();
        if (key != null) {
            return "key:" + key.id();
        }
        return caller instanceof Caller.Admin ? "admin" : "anonymous";
    }

    static boolean mayUse(Caller caller, StoredResponse stored) {
        return caller instanceof Caller.Admin || of(caller).equals(stored.owner());
    }
}
