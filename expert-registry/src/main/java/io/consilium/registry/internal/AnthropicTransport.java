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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Anthropic SDK's transport, over the {@link UpstreamTransport} that the other providers use too. The
 * SDK's own OkHttp transport follows redirects, sending the API key and the request to wherever a redirect
 * points, past the egress policy; an upstream transport never follows them.
 *
 * <p>Requests are completed the way the SDK's transports do it: the backend adds the API version,
 * the base URL and the credentials. An asynchronous call is a blocking one on a virtual thread of its own,
 * interrupted when the SDK cancels what it was given, which abandons the exchange.
 */
final class AnthropicTransport implements com.anthropic.core.http.HttpClient {

    /** How long a call may wait when the SDK gives no timeout; the expert's own deadline is shorter. */
    private static final Duration NO_TIMEOUT_GIVEN = Duration.ofMinutes(10);
    /** Headers a transport sets itself: framing and the connection are not the SDK's to decide. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final ExecutorService CALLERS = Executors.newVirtualThreadPerTaskExecutor();

    private final UpstreamTransport http;
    private final Backend backend;

    AnthropicTransport(UpstreamTransport http, Backend backend) {
        this.http = http;
        this.backend = backend;
    }

    @Override
    public HttpResponse execute(com.anthropic.core.http.HttpRequest request, RequestOptions options) {
        UpstreamRequest sent = toUpstream(request, options);
        try {
            return backend.prepareResponse(new Response(http.open(sent)));
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
        UpstreamRequest sent = toUpstream(request, options);
        CompletableFuture<HttpResponse> response = new CompletableFuture<>();
        Future<?> exchange = CALLERS.submit(() -> {
            try {
                HttpResponse answer = backend.prepareResponse(new Response(http.open(sent)));
                if (!response.complete(answer)) {
                    answer.close(); // the SDK gave up while the answer was on its way
                }
            } catch (IOException e) {
                response.completeExceptionally(new AnthropicIoException("Request failed", e));
            } catch (InterruptedException e) {
                response.completeExceptionally(new AnthropicIoException("Request interrupted",
                        new InterruptedIOException("interrupted")));
            } catch (RuntimeException e) {
                response.completeExceptionally(e);
            }
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
        // The transport is shared with the other experts and closed with them.
    }

    private UpstreamRequest toUpstream(com.anthropic.core.http.HttpRequest request, RequestOptions options) {
        com.anthropic.core.http.HttpRequest prepared = backend.prepareRequest(request);
        if (prepared.baseUrl() == null) {
            prepared = prepared.toBuilder().baseUrl(backend.baseUrl()).build();
        }
        prepared = backend.authorizeRequest(prepared);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Headers sdkHeaders = prepared.headers();
        for (String name : sdkHeaders.names()) {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            headers.computeIfAbsent(name, key -> new ArrayList<>()).addAll(sdkHeaders.values(name));
        }
        HttpRequestBody body = prepared.body();
        if (body != null) {
            headers.put("content-type", List.of(body.contentType()));
        }
        Timeout timeout = options.getTimeout();
        Duration deadline = timeout != null && timeout.request() != null ? timeout.request() : NO_TIMEOUT_GIVEN;
        return new UpstreamRequest(prepared.method().name(), URI.create(prepared.url()), headers,
                body == null ? null : bytes(body), deadline);
    }

    private static byte[] bytes(HttpRequestBody body) {
        // Message requests are small JSON documents: buffering them keeps a retry-free send simple.
        try (body) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            body.writeTo(out);
            return out.toByteArray();
        }
    }

    /** The upstream's answer as the SDK sees it; closing it mid-body drops the connection. */
    private record Response(UpstreamResponse answer) implements HttpResponse {

        @Override
        public int statusCode() {
            return answer.status();
        }

        @Override
        public Headers headers() {
            Headers.Builder headers = Headers.builder();
            answer.headers().forEach(headers::put);
            return headers.build();
        }

        @Override
        public InputStream body() {
            return answer.body();
        }

        @Override
        public void close() {
            answer.close();
        }
    }
}
