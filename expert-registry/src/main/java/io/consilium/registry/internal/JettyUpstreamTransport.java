package io.consilium.registry.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler;
import org.eclipse.jetty.client.RedirectProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.WWWAuthenticationProtocolHandler;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Upstream calls over Jetty's HTTP client. Each request carries the call's timeout twice: as its total
 * timeout, and as its idle timeout, so that the pool's shorter idle timeout never cuts an upstream that is
 * slow to start answering. A caller interrupted while waiting aborts the exchange; an opened body given up
 * before its end aborts it too, which closes the connection instead of leaving the upstream writing.
 *
 * <p>The client is stripped of what an upstream call must not do: follow redirects, answer authentication
 * challenges, keep cookies between experts, or ask for compressed bodies (streams must not wait on a
 * decompressor's buffer).
 */
final class JettyUpstreamTransport implements UpstreamTransport {

    /** How long a connection may sit unused in the pool before it is closed. */
    private static final Duration POOLED_IDLE = Duration.ofSeconds(30);
    /** Calls that may wait for a connection to one upstream once all its connections are busy. */
    private static final int QUEUED_PER_UPSTREAM = 4096;
    /** The selector and the callbacks that parse answers and wake their callers. */
    private static final int JETTY_THREADS = 8;

    private final HttpClient http;

    JettyUpstreamTransport(Duration connectTimeout, int maxConnectionsPerUpstream) {
        // Jetty's threads only parse and hand over: calls block on virtual threads of their own, never here. A
        // fixed pool keeps the platform thread count flat however the load varies.
        QueuedThreadPool threads = new QueuedThreadPool(JETTY_THREADS, JETTY_THREADS);
        threads.setName("upstream-http");
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(POOLED_IDLE.toMillis());
        client.setMaxConnectionsPerDestination(maxConnectionsPerUpstream);
        client.setMaxRequestsQueuedPerDestination(QUEUED_PER_UPSTREAM);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the Jetty HTTP client did not start", e);
        }
        // The handlers and decoders are installed by start().
        client.getProtocolHandlers().remove(RedirectProtocolHandler.NAME);
        client.getProtocolHandlers().remove(WWWAuthenticationProtocolHandler.NAME);
        client.getProtocolHandlers().remove(ProxyAuthenticationProtocolHandler.NAME);
        client.getContentDecoderFactories().clear();
        this.http = client;
    }

    @Override
    public UpstreamResponse open(UpstreamRequest call) throws IOException, InterruptedException {
        Request request = toJetty(call);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            // The request's own timeout ends the wait; this one is only a backstop.
            response = listener.get(call.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        } catch (TimeoutException e) {
            request.abort(e);
            throw new UpstreamTimeoutException(call.timeout(), e);
        } catch (ExecutionException e) {
            throw failure(call, e.getCause());
        }
        return new Streamed(call, response, listener);
    }

    @Override
    public UpstreamResponse fetch(UpstreamRequest call, int maxBytes) throws IOException, InterruptedException {
        Request request = toJetty(call);
        WholeBody listener = new WholeBody(maxBytes);
        request.send(listener);
        try {
            return listener.done.get();
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw failure(call, e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // Stopping drops the connections; there is nothing more to do if it complains.
        }
    }

    private Request toJetty(UpstreamRequest call) {
        long timeout = call.timeout().toMillis();
        Request request = http.newRequest(call.uri())
                .method(call.method())
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .idleTimeout(timeout, TimeUnit.MILLISECONDS)
                .headers(headers -> call.headers().forEach((name, values) -> values.forEach(value -> headers.add(name, value))));
        byte[] body = call.body();
        if (body != null) {
            String type = call.headers().entrySet().stream()
                    .filter(header -> header.getKey().equalsIgnoreCase("content-type") && !header.getValue().isEmpty())
                    .map(header -> header.getValue().getFirst())
                    .findFirst().orElse("application/octet-stream");
            request.body(new BytesRequestContent(type, body));
        }
        return request;
    }

    /** What Jetty failed an exchange with, as the IOException the transport promises. */
    private static IOException failure(UpstreamRequest call, @Nullable Throwable cause) {
        return switch (cause) {
            case null -> new IOException("exchange failed");
            // Jetty's total and idle timeouts; a connect timeout is a deadline passing too, as the JDK reports it.
            case TimeoutException timedOut -> new UpstreamTimeoutException(call.timeout(), timedOut);
            case SocketTimeoutException timedOut -> new UpstreamTimeoutException(call.timeout(), timedOut);
            case IOException io -> io;
            default -> new IOException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        };
    }

    private static Map<String, List<String>> headers(HttpFields fields) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : fields) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return Collections.unmodifiableMap(headers);
    }

    /** An answer whose body is read as it arrives. */
    private static final class Streamed implements UpstreamResponse {

        private final Response response;
        private final InputStreamResponseListener listener;
        private final InputStream body;
        private volatile boolean ended;
        private volatile boolean closed;

        Streamed(UpstreamRequest call, Response response, InputStreamResponseListener listener) {
            this.response = response;
            this.listener = listener;
            this.body = new Body(call, listener.getInputStream());
        }

        /**
         * The body's end reaches the reader a moment before the connection goes back to the pool; waiting for the
         * exchange to complete lets the next call find it there instead of opening another.
         */
        private void awaitCompletion() {
            try {
                listener.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                // the connection is reused later, or not; the answer is whole either way
            }
        }

        @Override
        public int status() {
            return response.getStatus();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(response.getHeaders().get(name));
        }

        @Override
        public Map<String, List<String>> headers() {
            return JettyUpstreamTransport.headers(response.getHeaders());
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                body.close();
            } catch (IOException e) {
                // giving up on the body either way
            }
            if (!ended) {
                // Closing Jetty's stream only refuses the chunks still to come; an upstream that has gone quiet
                // would keep the connection. Aborting closes it now.
                response.abort(new AsynchronousCloseException());
            }
        }

        /** Jetty's stream, telling its end and making its failures the transport's. */
        private final class Body extends InputStream {

            private final UpstreamRequest call;
            private final InputStream arriving;

            Body(UpstreamRequest call, InputStream arriving) {
                this.call = call;
                this.arriving = arriving;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                try {
                    int read = arriving.read(buffer, offset, length);
                    if (read < 0 && !ended) {
                        ended = true;
                        awaitCompletion();
                    }
                    return read;
                } catch (InterruptedIOException e) {
                    // Jetty's stream swallows the interrupt: keep it for the caller, and stop the exchange.
                    Thread.currentThread().interrupt();
                    response.abort(e);
                    throw e;
                } catch (IOException e) {
                    throw e.getCause() instanceof TimeoutException || e.getCause() instanceof SocketTimeoutException
                            ? new UpstreamTimeoutException(call.timeout(), e.getCause()) : e;
                }
            }

            @Override
            public void close() throws IOException {
                arriving.close();
            }
        }
    }

    /** An answer whose body was gathered before it was handed over. */
    private record Fetched(Response response, byte[] bytes) implements UpstreamResponse {

        @Override
        public int status() {
            return response.getStatus();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(response.getHeaders().get(name));
        }

        @Override
        public Map<String, List<String>> headers() {
            return JettyUpstreamTransport.headers(response.getHeaders());
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public void close() {
            // the exchange ended when the body was complete
        }
    }

    /** Gathers the body on Jetty's threads and wakes the caller once, when the exchange completes. */
    private static final class WholeBody implements Response.Listener {

        final CompletableFuture<UpstreamResponse> done = new CompletableFuture<>();
        private final int maxBytes;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        WholeBody(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void onHeaders(Response response) {
            long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (length > maxBytes) {
                response.abort(new AnswerTooLargeException(maxBytes));
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (body.size() + (long) content.remaining() > maxBytes) {
                response.abort(new AnswerTooLargeException(maxBytes));
                return;
            }
            byte[] chunk = new byte[content.remaining()];
            content.get(chunk);
            body.writeBytes(chunk);
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed()) {
                done.completeExceptionally(result.getFailure());
            } else {
                done.complete(new Fetched(result.getResponse(), body.toByteArray()));
            }
        }
    }
}
