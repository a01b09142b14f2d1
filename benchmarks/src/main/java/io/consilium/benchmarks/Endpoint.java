package io.consilium.benchmarks;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

/**
 * Where load goes: a chat-completions URI, the model named in each request and the headers the gateway in
 * front of the upstream needs (its key, or the provider and host to forward to).
 *
 * @param headers name and value pairs, flattened
 */
record Endpoint(String name, URI chat, String model, List<String> headers) {

    Endpoint {
        if (headers.size() % 2 != 0) {
            throw new IllegalArgumentException("headers must be name and value pairs, but were " + headers);
        }
        headers = List.copyOf(headers);
    }

    /** A non-streamed completion request asking {@code text}. */
    HttpRequest request(String text) {
        HttpRequest.Builder request = HttpRequest.newBuilder(chat).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"" + model + "\", \"messages\": "
                        + "[{\"role\": \"user\", \"content\": \"" + text + "\"}]}"));
        for (int i = 0; i < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        return request.build();
    }
}
