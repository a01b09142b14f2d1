package io.consilium.router.chat;

import io.consilium.registry.ChatRequest;
import io.consilium.router.api.ApiException;
import tools.jackson.databind.node.ObjectNode;

/** Holds a request to its key's {@code max_tokens} ceiling: asking for more is refused, asking for nothing gets the ceiling. */
public final class TokenCeiling {

    private TokenCeiling() {}

    public static void apply(ChatRequest request, int ceiling) {
        if (ceiling <= 0) {
            return;
        }
        ObjectNode body = request.body();
        boolean asked = false;
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            if (body.hasNonNull(field)) {
                asked = true;
                if (body.get(field).asLong() > ceiling) {
                    throw ApiException.invalidRequest(field, "'" + field + "' may be at most " + ceiling
                            + " with this API key, but was " + body.get(field).asLong() + ".");
                }
            }
        }
        if (!asked) {
            body.put("max_tokens", ceiling);
        }
    }
}
