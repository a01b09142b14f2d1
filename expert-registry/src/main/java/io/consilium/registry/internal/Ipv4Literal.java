package io.consilium.registry.internal;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How a URL's host reads as an IPv4 address. Besides the dotted quad, {@code inet_aton} and the URL
 * standard (browsers, curl, most HTTP clients and proxies) accept one to four parts, each decimal, octal
 * (leading {@code 0}) or hex ({@code 0x}), the last part filling the bytes that remain: {@code 0177.0.0.1},
 * {@code 0x7f000001}, {@code 2130706433} and {@code 127.1} all mean 127.0.0.1 to them. The JDK reads
 * some of these differently ({@code 0177.0.0.1} as 177.0.0.1) and others not at all, so a check of one
 * reading proves nothing about where another client connects. Only the canonical dotted quad means the
 * same to every reader; any other numeric host is refused.
 *
 * @param host the host as written
 * @param form how it reads
 * @param address the address {@code inet_aton} reads, for the canonical and non-canonical forms
 */
public record Ipv4Literal(String host, Form form, @Nullable Inet4Address address) {

    /** How a host reads. */
    public enum Form {
        /** Not numeric: a name, or an IPv6 literal. */
        NAME,
        /** Four decimal numbers of 0 to 255 without leading zeros. */
        CANONICAL,
        /** An IPv4 address in another form that {@code inet_aton} accepts. */
        NON_CANONICAL,
        /** Ends in a number, as only IPv4 addresses do, but no reader takes it for one (e.g. 256.0.0.1). */
        INVALID
    }

    private static final Pattern CANONICAL = Pattern.compile(
            "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    /** A last label that makes the URL standard parse a host as IPv4: decimal digits, or hex after 0x. */
    private static final Pattern NUMBER = Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");

    /** Reads a host as written in a URL (no brackets, no port). */
    public static Ipv4Literal read(String host) {
        if (host.indexOf(':') >= 0 || host.startsWith("[")) {
            return new Ipv4Literal(host, Form.NAME, null);
        }
        if (CANONICAL.matcher(host).matches()) {
            return new Ipv4Literal(host, Form.CANONICAL, Inet4Address.ofPosixLiteral(host));
        }
        // One trailing dot is the root of the DNS: readers drop it before reading the number.
        String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String lastLabel = bare.substring(bare.lastIndexOf('.') + 1);
        if (!NUMBER.matcher(lastLabel).matches()) {
            return new Ipv4Literal(host, Form.NAME, null);
        }
        try {
            return new Ipv4Literal(host, Form.NON_CANONICAL, Inet4Address.ofPosixLiteral(bare));
        } catch (IllegalArgumentException notAnAddress) {
            return new Ipv4Literal(host, Form.INVALID, null);
        }
    }

    /** Why the host must not be used, naming the address it would be read as; empty for names and dotted quads. */
    public Optional<String> problem() {
        return switch (form) {
            case NAME, CANONICAL -> Optional.empty();
            case NON_CANONICAL -> {
                String canonical = Objects.requireNonNull(address, "address").getHostAddress();
                yield Optional.of("'" + host + "' is an IPv4 address in a non-canonical form that clients read as "
                        + canonical + "; write it as " + canonical);
            }
            case INVALID -> Optional.of("'" + host + "' ends in a number as IPv4 addresses do, but is not a valid "
                    + "one; write an IPv4 address as four decimal numbers from 0 to 255");
        };
    }
}
