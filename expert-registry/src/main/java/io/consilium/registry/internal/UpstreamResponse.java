package io.consilium.registry.internal;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An upstream's answer: status and headers, and a body read from memory or as it arrives. */
interface UpstreamResponse extends AutoCloseable {

    int status();

    /** The first value of the header, whatever the case of its name. */
    Optional<String> header(String name);

    /** Every header, names looked up whatever their case. */
    Map<String, List<String>> headers();

    /**
     * The body. Reading it past the answer's end gives -1; a read fails with an {@link java.io.IOException} if
     * the connection breaks, and with an {@link UpstreamTimeoutException} if the transport's deadline passed.
     */
    InputStream body();

    /**
     * Ends the exchange. A body read to its end leaves the connection for reuse; one given up before drops it,
     * so that the upstream stops writing. Harmless when repeated.
     */
    @Override
    void close();
}
