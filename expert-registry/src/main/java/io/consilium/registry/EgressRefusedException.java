package io.consilium.registry;

import io.consilium.registry.internal.Ipv4Literal;
import java.net.InetAddress;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EgressPolicy} refused a URL: its host name, or an address it resolves to, must not be
 * called from the service.
 */
public final class EgressRefusedException extends RuntimeException {

    private final String host;
    private final @Nullable InetAddress address;
    private final String kind;
    private final String rule;

    EgressRefusedException(String host, @Nullable InetAddress address, boolean literal, String kind, String rule) {
        super("egress refused: " + reason(host, address, literal, kind, rule));
        this.host = host;
        this.address = address;
        this.kind = kind;
        this.rule = rule;
    }

    /** The host as the URL names it, lower case. */
    public String host() {
        return host;
    }

    /** The refused address; empty when the host name itself is refused. */
    public Optional<InetAddress> address() {
        return Optional.ofNullable(address);
    }

    /** What was refused, e.g. "a cloud metadata address"; shows no address. */
    public String kind() {
        return kind;
    }

    /** Why it was refused, e.g. "always refused" or "private networks are not allowed". */
    public String rule() {
        return rule;
    }

    /**
     * The whole reason, naming host and address, e.g. {@code host 'x' resolves to 169.254.169.254, a
     * cloud metadata address (always refused)}. For operators: it tells how the internal network looks.
     */
    public String reason() {
        return getMessage().substring("egress refused: ".length());
    }

    private static String reason(String host, @Nullable InetAddress address, boolean literal, String kind, String rule) {
        if (address == null) {
            return "host '" + host + "' is " + kind + " (" + rule + ")";
        }
        String ip = address.getHostAddress();
        if (literal) {
            // Shorthand forms (2852039166, 127.1) are spelled out: they are how such URLs try to slip through.
            boolean plain = host.indexOf(':') >= 0 || Ipv4Literal.read(host).form() == Ipv4Literal.Form.CANONICAL;
            return "host " + host + (plain ? "" : " (" + ip + ")") + " is " + kind + " (" + rule + ")";
        }
        return "host '" + host + "' resolves to " + ip + ", " + kind + " (" + rule + ")";
    }
}
