package io.consilium.registry.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Upstream calls over the JDK's HTTP client. {@link HttpClient#send} already abandons an exchange whose thread
 * is interrupted; closing a body before its end cancels it, which closes the connection.
 */
final class JdkUpstreamTransport implements UpstreamTransport {

    private final HttpClient http;

    JdkUpstreamTransport(Duration connectTimeout, Executor callbacks) {
        this.http = HttpClient.newBuilder()
                // HTTP/1.1: many self-hosted servers mishandle the h2c upgrade.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(callbacks)
                .build();
    }

    @Override
    public UpstreamResponse open(UpstreamRequest request) throws IOException, InterruptedException {
        return new Answer<>(send(request, HttpResponse.BodyHandlers.ofInputStream()), Function.identity());
    }

    @Override
    public UpstreamResponse fetch(UpstreamRequest request, int maxBytes) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer;
        try {
            answer = send(request, info -> new LimitedBytes(maxBytes));
        } catch (IOException e) {
            // send() wraps what a body subscriber failed with in an IOException of its own.
            if (e.getCause() instanceof AnswerTooLargeException tooLarge) {
                throw tooLarge;
            }
            throw e;
        }
        return new Answer<>(answer, ByteArrayInputStream::new);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private <T> HttpResponse<T> send(UpstreamRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        try {
            return http.send(toJdk(request), body);
        } catch (HttpTimeoutException e) {
            throw new UpstreamTimeoutException(request.timeout(), e);
        }
    }

    private static HttpRequest toJdk(UpstreamRequest request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).timeout(request.timeout());
        request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        byte[] body = request.body();
        return builder.method(request.method(), body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The JDK's answer; its body is an InputStream already, or bytes made one. */
    private record Answer<T>(HttpResponse<T> answer, Function<T, InputStream> reader)
            implements UpstreamResponse {

        @Override
        public int status() {
            return answer.statusCode();
        }

        @Override
        public Optional<String> header(String name) {
            return answer.headers().firstValue(name);
        }

        @Override
        public Map<String, List<String>> headers() {
            return answer.headers().map();
        }

        @Override
        public InputStream body() {
            return reader.apply(answer.body());
        }

        @Override
        public void close() {
            if (answer.body() instanceof InputStream streamed) {
                try {
                    streamed.close();
                } catch (IOException e) {
                    // Closing is giving up on the body; a failure to do so politely changes nothing.
                }
            }
        }
    }

    /** Gathers a body in memory, and gives up on it once it is longer than a caller accepts. */
    private static final class LimitedBytes implements HttpResponse.BodySubscriber<byte[]> {

        private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
        private final int maxBytes;
        private Flow.Subscription subscription;
        private long received;
        private boolean refused;

        LimitedBytes(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return bytes.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            bytes.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (refused) {
                return;
            }
            for (ByteBuffer item : items) {
                received += item.remaining();
            }
            if (received > maxBytes) {
                refused = true;
                subscription.cancel();
                bytes.onError(new AnswerTooLargeException(maxBytes));
                return;
            }
            bytes.onNext(items);
        }

        @Override
        public void onError(Throwable failure) {
            if (!refused) {
                bytes.onError(failure);
            }
        }

        @Override
        public void onComplete() {
            if (!refused) {
                bytes.onComplete();
            }
        }
    }
}
