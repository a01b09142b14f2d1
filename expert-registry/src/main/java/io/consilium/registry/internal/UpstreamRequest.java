package io.consilium.registry.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request to an upstream: a method, an address, headers and a body sent as they are.
 *
 * @param headers header values by name, in the order they are sent
 * @param body the bytes to send, or null for a request without a body
 * @param timeout how long the call may wait: for the whole of a fetched answer, and at least for the headers of
 *     an opened one (a transport may cut its body then too; the caller's own deadline covers it either way)
 */
record UpstreamRequest(String method, URI uri, Map<String, List<String>> headers, byte @Nullable [] body,
        Duration timeout) {

    UpstreamRequest {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A POST of a JSON body, with these headers as name, value, name, value… */
    static UpstreamRequest postJson(URI uri, byte[] json, Duration timeout, String... nameValues) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            headers.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return new UpstreamRequest("POST", uri, headers, json, timeout);
    }
}
