package io.consilium.router.batchapi;

import io.consilium.router.auth.ApiKey;
import io.consilium.router.auth.Caller;

/**
 * Who owns a file or batch: the API key that made it, the admin, or anonymous callers. A key sees only
 * what it made; the admin sees everything. Someone else's id answers 404, as if it did not exist.
 */
final class Owners {

    static final String ADMIN = "admin";
    static final String ANONYMOUS = "anonymous";

    private Owners() {}

    static String of(Caller caller) {
        ApiKey key = caller.apiKey();
        if (key != null) {
            return "key:" + key.id();
        }
        return caller instanceof Caller.Admin ? ADMIN : ANONYMOUS;
    }

    static boolean maySee(Caller caller, String owner) {
        return caller instanceof Caller.Admin || of(caller).equals(owner);
    }
}
