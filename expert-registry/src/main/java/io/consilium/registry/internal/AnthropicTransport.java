package io.consilium.registry.internal;

import com.anthropic.backends.Backend;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.Headers;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import com.anthropic.errors.AnthropicIoException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Anthropic SDK's transport, over the JDK HTTP client that the other providers use too. The SDK's
 * own OkHttp transport follows redirects, sending the API key and the request to wherever a redirect
 * points, past the egress policy; the JDK client is built never to follow them.
 *
 * <p>Requests are completed the way the SDK's transports do it: the backend adds the API version,
 * the base URL and the credentials.
 */
final class AnthropicTransport implements com.anthropic.core.http.HttpClient {

    /** Headers the JDK client sets itself and refuses to take from a caller. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final HttpClient http;
    private final Backend backend;

    AnthropicTransport(HttpClient http, Backend backend) {
        this.http = http;
        this.backend = backend;
    }

    @Override
    public HttpResponse execute(com.anthropic.core.http.HttpRequest request, RequestOptions options) {
        HttpRequest sent = toJdk(request, options);
        try {
            return backend.prepareResponse(new Response(http.send(sent, java.net.http.HttpResponse.BodyHandlers.ofInputStream())));
        } catch (IOException e) {
            throw new AnthropicIoException("Request failed", e);
        } catch (InterruptedException e) {
            // The caller's deadline or its client going away: keep the flag so the caller can tell.
            Thread.currentThread().interrupt();
            throw new AnthropicIoException("Request interrupted", new InterruptedIOException("interrupted"));
        }
    }

    @Override
    public CompletableFuture<HttpResponse> executeAsync(com.anthropic.core.http.HttpRequest request, RequestOptions options) {
        HttpRequest sent = toJdk(request, options);
        CompletableFuture<java.net.http.HttpResponse<InputStream>> exchange =
                http.sendAsync(sent, java.net.http.HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<HttpResponse> response = exchange.handle((answer, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : failure;
                throw new AnthropicIoException("Request failed", cause);
            }
            return backend.prepareResponse(new Response(answer));
        });
        // The SDK cancels what it returned when its subscriber goes away; the exchange must stop with it.
        response.whenComplete((answer, failure) -> {
            if (response.isCancelled()) {
                exchange.cancel(true);
            }
        });
        return response;
    }

    @Override
    public void close() {
        // The JDK client is shared with the other experts and closed with them.
    }

    private HttpRequest toJdk(com.anthropic.core.http.HttpRequest request, RequestOptions options) {
        com.anthropic.core.http.HttpRequest prepared = backend.prepareRequest(request);
        if (prepared.baseUrl() == null) {
            prepared = prepared.toBuilder().baseUrl(backend.baseUrl()).build();
        }
        prepared = backend.authorizeRequest(prepared);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(prepared.url()));
        Headers headers = prepared.headers();
        for (String name : headers.names()) {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (String value : headers.values(name)) {
                builder.header(name, value);
            }
        }
        HttpRequestBody body = prepared.body();
        if (body != null) {
            builder.header("content-type", body.contentType());
        }
        builder.method(prepared.method().name(), body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        Timeout timeout = options.getTimeout();
        if (timeout != null && timeout.request() != null) {
            builder.timeout(timeout.request());
        }
        return builder.build();
    }

    private static byte[] bytes(HttpRequestBody body) {
        // Message requests are small JSON documents: buffering them keeps a retry-free send simple.
        try (body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            body.writeTo(out);
            return out.toByteArray();
        }
    }

    /** The JDK's answer as the SDK sees it; closing it mid-body drops the connection. */
    private record Response(java.net.http.HttpResponse<InputStream> answer) implements HttpResponse {

        @Override
        public int statusCode() {
            return answer.statusCode();
        }

        @Override
        public Headers headers() {
            Headers.Builder headers = Headers.builder();
            answer.headers().map().forEach((name, values) -> headers.put(name, values));
            return headers.build();
        }

        @Override
        public InputStream body() {
            return answer.body();
        }

        @Override
        public void close() {
            try {
                answer.body().close();
            } catch (IOException e) {
                // Closing is giving up on the body; a failure to do so politely changes nothing.
            }
        }
    }
}
