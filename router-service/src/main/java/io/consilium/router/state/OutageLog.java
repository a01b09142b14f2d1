package io.consilium.router.state;

import io.lettuce.core.RedisException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Says once at WARN that shared state became unreachable and stays quiet until it is reachable again:
 * during an outage every reload and every remembered completion fails, and a line for each would bury
 * everything else. The recovery is logged at DEBUG only. Failures that are not an outage (a bug in a
 * listener) are logged every time, with their stack.
 */
public final class OutageLog {

    private final Logger log;
    private final String impact;
    private final AtomicBoolean down = new AtomicBoolean();

    /** {@code impact} says what the service does meanwhile, e.g. "replicas serve their local copies". */
    public OutageLog(Logger log, String impact) {
        this.log = log;
        this.impact = impact;
    }

    /** Logs the failure (once per outage if it is one); returns whether it was an outage. */
    public boolean failed(RuntimeException failure) {
        if (!isOutage(failure)) {
            log.warn("Applying a change of shared state failed; the next resync repairs the local copy", failure);
            return false;
        }
        if (down.compareAndSet(false, true)) {
            // The message is ours or Lettuce's exception type only: never the URL or its credentials.
            log.warn("{}; {} until it is back", describe(failure), impact);
        }
        return true;
    }

    public void recovered() {
        if (down.compareAndSet(true, false)) {
            log.debug("Shared state (Redis) is reachable again");
        }
    }

    public boolean isDown() {
        return down.get();
    }

    private static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StateUnavailableException || t instanceof RedisException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StateUnavailableException) {
                return t.getMessage();
            }
        }
        return "Shared state (Redis) is unreachable (" + failure.getClass().getSimpleName() + ")";
    }
}
