package io.consilium.registry;

import io.consilium.registry.internal.AddressClass;
import io.consilium.registry.internal.Ipv4Literal;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which upstream addresses the service may call (protection against server-side request forgery).
 * Link-local and cloud metadata addresses, the metadata host names, unspecified, broadcast, reserved
 * and multicast addresses are always refused; private networks (10/8, 172.16/12, 192.168/16,
 * 100.64/10, fc00::/7) and loopback (127/8, ::1) each have a switch. A host is checked by every
 * address it resolves to: one refused address refuses the host.
 *
 * <p>Immutable; build with {@link #custom()} or start from {@link #ofDefaults()}.
 */
public final class EgressPolicy {

    /** Looks up the addresses of a host name; replaceable so that tests need no DNS. */
    @FunctionalInterface
    public interface Resolver {

        /** The JVM's own resolver, with its cache. */
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

        /**
         * Every address of the name.
         *
         * @throws UnknownHostException when the name does not resolve
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private static final String ALWAYS = "always refused";

    /** Names under which clouds serve instance metadata, whatever they resolve to. */
    private static final Set<String> METADATA_HOST_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata");

    private static final EgressPolicy DEFAULTS = custom().build();

    private final boolean allowPrivateNetworks;
    private final boolean allowLoopback;
    private final Resolver resolver;

    private EgressPolicy(Builder builder) {
        this.allowPrivateNetworks = builder.allowPrivateNetworks;
        this.allowLoopback = builder.allowLoopback;
        this.resolver = builder.resolver;
    }

    /**
     * Private networks and loopback allowed, as self-hosted models and local model servers need;
     * link-local, metadata and the other always-refused addresses refused.
     */
    public static EgressPolicy ofDefaults() {
        return DEFAULTS;
    }

    /** Public addresses only: no private networks, no loopback. */
    public static EgressPolicy publicOnly() {
        return custom().allowPrivateNetworks(false).allowLoopback(false).build();
    }

    public static Builder custom() {
        return new Builder();
    }

    /** A builder holding this policy's values, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder().allowPrivateNetworks(allowPrivateNetworks).allowLoopback(allowLoopback).resolver(resolver);
    }

    /** Whether 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7 may be called. */
    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    /** Whether 127/8 and ::1 may be called. */
    public boolean allowsLoopback() {
        return allowLoopback;
    }

    /**
     * Resolves the URL's host and checks every address it resolves to. IP literals are checked without a
     * lookup. IPv4 addresses written in any form other than the dotted quad ({@code 2852039166},
     * {@code 127.1}, {@code 0177.0.0.1}, see {@link Ipv4Literal}) are refused, after the address they are
     * read as has been checked (so that the reason names the worse problem first); so are hosts that end
     * in a number but read as no address.
     *
     * @return the addresses of the host, all allowed
     * @throws EgressRefusedException when the host name or one of its addresses is refused
     * @throws UnknownHostException when the host name does not resolve: there is nothing to check, and
     *     the caller decides whether that is acceptable
     */
    public List<InetAddress> check(URI url) throws UnknownHostException {
        String rawHost = url.getHost();
        if (rawHost == null || rawHost.isBlank()) {
            throw new UnknownHostException("no host in " + url);
        }
        String host = normalise(rawHost);
        if (METADATA_HOST_NAMES.contains(host)) {
            throw new EgressRefusedException(host, null, false, "a cloud metadata host name", ALWAYS);
        }
        Ipv4Literal numeric = Ipv4Literal.read(rawHost.strip());
        if (numeric.form() == Ipv4Literal.Form.INVALID) {
            // Not handed to the resolver: what a resolver makes of a number nobody reads as an address is anyone's guess.
            throw new EgressRefusedException(host, null, false, "a number that is not a valid IPv4 address", ALWAYS);
        }
        InetAddress literal = numeric.address() != null ? numeric.address() : literal(host);
        List<InetAddress> addresses = literal != null ? List.of(literal) : resolver.resolve(host);
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host + " has no address");
        }
        for (InetAddress address : addresses) {
            AddressClass kind = AddressClass.of(address);
            String rule = refusal(kind);
            if (rule != null) {
                throw new EgressRefusedException(host, address, literal != null, kind.description(), rule);
            }
        }
        if (numeric.form() == Ipv4Literal.Form.NON_CANONICAL) {
            // Allowed as read here, but other clients (a proxy, curl, the JDK itself for 0177.0.0.1) read
            // these forms differently, so what was checked need not be what is called.
            throw new EgressRefusedException(host, literal, true, "an IPv4 address in a non-canonical form", ALWAYS);
        }
        return addresses;
    }

    /** Whether the address may be called. */
    public boolean allows(InetAddress address) {
        return refusal(AddressClass.of(address)) == null;
    }

    /** Why the class is refused, or null when it is allowed. */
    private @Nullable String refusal(AddressClass kind) {
        return switch (kind) {
            case PUBLIC -> null;
            case PRIVATE -> allowPrivateNetworks ? null : "private networks are not allowed";
            case LOOPBACK -> allowLoopback ? null : "loopback is not allowed";
            case UNSPECIFIED, BROADCAST, RESERVED, MULTICAST, CLOUD_METADATA, LINK_LOCAL -> ALWAYS;
        };
    }

    /** Lower case, without IPv6 brackets, zone or a trailing dot: the forms that name the same host. */
    private static String normalise(String host) {
        String bare = host.strip().toLowerCase(Locale.ROOT);
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        int zone = bare.indexOf('%');
        if (zone >= 0 && bare.indexOf(':') >= 0) {
            // The zone picks an interface, not an address: fe80::1%eth0 is link-local whatever eth0 is.
            bare = bare.substring(0, zone);
        }
        return bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
    }

    /** The address an IP literal spells, in any form the JDK's HTTP client would accept; null for names. */
    private static @Nullable InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "EgressPolicy[allowPrivateNetworks=" + allowPrivateNetworks + ", allowLoopback=" + allowLoopback + "]";
    }

    /** Collects the switches of an {@link EgressPolicy}. */
    public static final class Builder {

        private boolean allowPrivateNetworks = true;
        private boolean allowLoopback = true;
        private Resolver resolver = Resolver.SYSTEM;

        private Builder() {}

        /** Allow 10/8, 172.16/12, 192.168/16, 100.64/10 and fc00::/7 (default true). */
        public Builder allowPrivateNetworks(boolean allow) {
            this.allowPrivateNetworks = allow;
            return this;
        }

        /** Allow 127/8 and ::1 (default true). */
        public Builder allowLoopback(boolean allow) {
            this.allowLoopback = allow;
            return this;
        }

        /** How host names are resolved (default: the JVM's resolver). */
        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        public EgressPolicy build() {
            return new EgressPolicy(this);
        }
    }
}
