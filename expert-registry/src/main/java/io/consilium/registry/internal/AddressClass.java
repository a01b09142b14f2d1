package io.consilium.registry.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What kind of network an IP address belongs to, as far as calling it from the service matters.
 * {@link #of} answers for IPv4 and IPv6 alike; IPv6 forms that carry an IPv4 address (mapped,
 * compatible, NAT64, 6to4) are judged by that IPv4 address, since that is where packets end up.
 */
public enum AddressClass {
    UNSPECIFIED("an unspecified address"),
    BROADCAST("the broadcast address"),
    RESERVED("a reserved address"),
    MULTICAST("a multicast address"),
    CLOUD_METADATA("a cloud metadata address"),
    LINK_LOCAL("a link-local address"),
    LOOPBACK("a loopback address"),
    PRIVATE("a private network address"),
    PUBLIC("a public address");

    private static final byte[] AWS_METADATA_V6 = InetAddress.ofLiteral("fd00:ec2::254").getAddress();

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** How the class reads in a sentence, e.g. "a link-local address". */
    public String description() {
        return description;
    }

    public static AddressClass of(InetAddress address) {
        byte[] bytes = address.getAddress();
        return switch (address) {
            case Inet4Address v4 -> ofV4(bytes);
            case Inet6Address v6 -> ofV6(bytes);
            default -> throw new IllegalArgumentException("neither IPv4 nor IPv6: " + address);
        };
    }

    private static AddressClass ofV4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        int fourth = b[3] & 0xff;
        if (first == 0) {
            // 0.0.0.0/8 means "this host" to Linux: a connection to it lands on the loopback interface.
            return UNSPECIFIED;
        }
        if (first == 255 && second == 255 && third == 255 && fourth == 255) {
            return BROADCAST;
        }
        if (first >= 240) {
            return RESERVED;
        }
        if (first >= 224) {
            return MULTICAST;
        }
        // AWS, GCP, Azure, Oracle and DigitalOcean serve instance metadata on 169.254.169.254, Alibaba on
        // 100.100.100.200; both sit inside ranges below, so they are matched first to name them properly.
        if ((first == 169 && second == 254 && third == 169 && fourth == 254)
                || (first == 100 && second == 100 && third == 100 && fourth == 200)) {
            return CLOUD_METADATA;
        }
        if (first == 169 && second == 254) {
            return LINK_LOCAL;
        }
        if (first == 127) {
            return LOOPBACK;
        }
        if (first == 10
                || (first == 172 && (second & 0xf0) == 16)
                || (first == 192 && second == 168)
                || (first == 100 && (second & 0xc0) == 64)) {
            return PRIVATE;
        }
        return PUBLIC;
    }

    private static AddressClass ofV6(byte[] b) {
        if (Arrays.equals(b, AWS_METADATA_V6)) {
            return CLOUD_METADATA;
        }
        if (leadingZeroBytes(b, 15)) {
            // :: and ::1; any other ::/96 address is an IPv4-compatible one, handled below.
            if (b[15] == 0) {
                return UNSPECIFIED;
            }
            if (b[15] == 1) {
                return LOOPBACK;
            }
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 0xff) {
            return MULTICAST;
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if ((first == 0xfe && (second & 0xc0) == 0xc0) || (first & 0xfe) == 0xfc) {
            // fec0::/10 (the retired site-local range) is still routed inside some networks.
            return PRIVATE;
        }
        byte[] embedded = embeddedV4(b);
        return embedded != null ? ofV4(embedded) : PUBLIC;
    }

    /** The IPv4 address an IPv6 address stands for, when it is of a form that carries one. */
    private static byte @Nullable [] embeddedV4(byte[] b) {
        boolean mapped = leadingZeroBytes(b, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = leadingZeroBytes(b, 12);
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && zeroBytes(b, 4, 12);
        if (mapped || compatible || nat64) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        boolean sixToFour = (b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02;
        if (sixToFour) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        return null;
    }

    private static boolean leadingZeroBytes(byte[] b, int count) {
        return zeroBytes(b, 0, count);
    }

    private static boolean zeroBytes(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
