package io.consilium.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Active checks that a remote expert's endpoint can be reached at all: its host resolves, to addresses
 * the {@link EgressPolicy} allows, and one of them accepts a TCP connection on the URL's port. Nothing is
 * sent over the connection (no request, no key, no tokens spent); whether the server answers well is what
 * the circuit breakers learn from real calls. An expert whose last check failed is
 * {@link ExpertHealth#UNREACHABLE} and is not planned until a check passes again.
 *
 * <p>Checks of a reachable expert come every {@code interval}; after a failure the next check waits
 * {@code firstRetry}, doubling with each further failure up to {@code interval}. Thread-safe; the results
 * are this process's own, as each replica has its own network path.
 */
public final class Reachability {

    /**
     * @param interval time between checks of a reachable expert, and the longest wait after failures
     * @param firstRetry wait before checking again after a first failure
     * @param connectTimeout how long one connection attempt may take
     */
    public record Settings(Duration interval, Duration firstRetry, Duration connectTimeout) {

        public Settings {
            if (interval.isNegative() || interval.isZero() || firstRetry.isNegative() || firstRetry.isZero()
                    || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("health check durations must be positive");
            }
        }

        /** Every 30 s, retried 5 s after a failure, 2 s to connect. */
        public static Settings ofDefaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(2));
        }
    }

    /**
     * What the last check of one expert found.
     *
     * @param problem why it could not be reached; {@code null} when it could
     * @param failures checks failed in a row
     */
    public record Check(URI target, @Nullable String problem, Instant checkedAt, int failures, Instant nextCheck) {

        public boolean reachable() {
            return problem == null;
        }
    }

    private final EgressPolicy egress;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Check> checks = new ConcurrentHashMap<>();

    public Reachability(EgressPolicy egress, Settings settings, Clock clock) {
        this.egress = egress;
        this.settings = settings;
        this.clock = clock;
    }

    /** Whether the expert is checked at all: remote experts with a base URL are; mock and local ones call nobody. */
    public static boolean applies(Expert expert) {
        return expert.provider().isRemote() && expert.baseUrl() != null;
    }

    /** Checks the expert now and remembers the result; experts that call nobody are always reachable. */
    public Optional<Check> check(Expert expert) {
        if (!applies(expert)) {
            return Optional.empty();
        }
        URI target = expert.baseUrl();
        String problem = problem(target);
        Instant now = clock.instant();
        Check previous = checks.get(expert.id());
        // A check for an older address starts the back-off afresh.
        int failures = problem == null ? 0
                : previous != null && previous.target().equals(target) ? previous.failures() + 1 : 1;
        Check check = new Check(target, problem, now, failures, now.plus(wait(failures)));
        checks.put(expert.id(), check);
        return Optional.of(check);
    }

    /** The last check of the expert, if it was checked. */
    public Optional<Check> last(String expertId) {
        return Optional.ofNullable(checks.get(expertId));
    }

    /** Whether the last check of the expert failed; an expert never checked is not held back. */
    public boolean unreachable(String expertId) {
        Check check = checks.get(expertId);
        return check != null && !check.reachable();
    }

    /** Whether the expert is due for a check: never checked, moved to another address, or past its next check. */
    public boolean due(Expert expert) {
        if (!applies(expert)) {
            return false;
        }
        Check check = checks.get(expert.id());
        return check == null || !check.target().equals(expert.baseUrl()) || !clock.instant().isBefore(check.nextCheck());
    }

    /** Forgets experts that are gone or no longer called over the network. */
    public void retainOnly(List<Expert> experts) {
        List<String> kept = experts.stream().filter(Reachability::applies).map(Expert::id).toList();
        checks.keySet().retainAll(kept);
    }

    private Duration wait(int failures) {
        if (failures == 0) {
            return settings.interval();
        }
        Duration backOff = settings.firstRetry().multipliedBy(1L << Math.min(failures - 1, 20));
        return backOff.compareTo(settings.interval()) < 0 ? backOff : settings.interval();
    }

    private @Nullable String problem(URI target) {
        List<InetAddress> addresses;
        try {
            addresses = egress.check(target);
        } catch (UnknownHostException e) {
            return "the host " + target.getHost() + " does not resolve";
        } catch (EgressRefusedException e) {
            return "refused by the egress policy: " + e.getMessage();
        }
        int port = target.getPort() != -1 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        String last = null;
        for (InetAddress address : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), (int) settings.connectTimeout().toMillis());
                return null;
            } catch (IOException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return "nothing accepts connections at " + target.getHost() + ":" + port + " (" + last + ")";
    }
}
