package io.consilium.registry.internal;

import io.consilium.registry.ExpertTracing;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Adds the trace context of the sending thread to every upstream request, whichever HTTP client sends it, so
 * that the trace goes on at the model server (or the next gateway). A request sent outside any trace goes as
 * it is, without a copy.
 */
final class TracedUpstreamTransport implements UpstreamTransport {

    private final UpstreamTransport delegate;
    private final ExpertTracing tracing;

    TracedUpstreamTransport(UpstreamTransport delegate, ExpertTracing tracing) {
        this.delegate = delegate;
        this.tracing = tracing;
    }

    @Override
    public UpstreamResponse open(UpstreamRequest request) throws IOException, InterruptedException {
        return delegate.open(withTraceContext(request));
    }

    @Override
    public UpstreamResponse fetch(UpstreamRequest request, int maxBytes) throws IOException, InterruptedException {
        return delegate.fetch(withTraceContext(request), maxBytes);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public void addTraceHeaders(BiConsumer<String, String> header) {
        tracing.addTraceHeaders(header);
    }

    /** A request sent from a thread outside any trace keeps the trace headers it was given. */
    private UpstreamRequest withTraceContext(UpstreamRequest request) {
        List<String> nameValues = new ArrayList<>(2);
        tracing.addTraceHeaders((name, value) -> {
            nameValues.add(name);
            nameValues.add(value);
        });
        if (nameValues.isEmpty()) {
            return request;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        for (int i = 0; i + 1 < nameValues.size(); i += 2) {
            // The service's own context replaces whatever a caller's headers might have carried under the name.
            String name = nameValues.get(i);
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, List.of(nameValues.get(i + 1)));
        }
        return new UpstreamRequest(request.method(), request.uri(), headers, request.body(), request.timeout());
    }
}
