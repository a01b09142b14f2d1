package io.consilium.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTest {

    private static final EgressPolicy DEFAULTS = EgressPolicy.ofDefaults();
    private static final EgressPolicy PUBLIC_ONLY = EgressPolicy.publicOnly();

    /** A resolver answering from a table, as /etc/hosts would; unknown names do not resolve. */
    private static EgressPolicy.Resolver hosts(Map<String, List<String>> table) {
        return host -> {
            List<String> addresses = table.get(host);
            if (addresses == null) {
                throw new UnknownHostException(host);
            }
            return addresses.stream().map(InetAddress::ofLiteral).toList();
        };
    }

    private static URI url(String host) {
        return URI.create("http://" + host + "/v1");
    }

    private static EgressRefusedException refusal(EgressPolicy policy, String host) {
        try {
            policy.check(url(host));
        } catch (EgressRefusedException refused) {
            return refused;
        } catch (UnknownHostException e) {
            throw new AssertionError(host + " did not resolve", e);
        }
        throw new AssertionError(host + " was allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "100.100.100.200", "[fd00:ec2::254]", "[::ffff:169.254.169.254]",
            "[::ffff:a9fe:a9fe]", "[64:ff9b::a9fe:a9fe]", "2852039166"})
    void should_always_refuse_a_cloud_metadata_address_when_given_in_any_form(String host) {
        // when
        EgressRefusedException refused = refusal(DEFAULTS, host);

        // then
        assertThat(refused.kind()).isEqualTo("a cloud metadata address");
        assertThat(refused.rule()).isEqualTo("always refused");
        assertThat(refused.address()).isPresent();
    }

    @Test
    void should_spell_out_the_address_when_the_host_is_a_shorthand_literal() {
        // when
        EgressRefusedException refused = refusal(DEFAULTS, "2852039166");

        // then
        assertThat(refused.reason())
                .isEqualTo("host 2852039166 (169.254.169.254) is a cloud metadata address (always refused)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.0.1", "169.254.255.255", "[fe80::1]", "[fe80::1%25eth0]", "[febf:ffff::1]",
            "[::ffff:169.254.10.10]"})
    void should_always_refuse_a_link_local_address_when_private_networks_and_loopback_are_allowed(String host) {
        // when
        EgressRefusedException refused = refusal(DEFAULTS, host);

        // then
        assertThat(refused.kind()).isEqualTo("a link-local address");
        assertThat(refused.rule()).isEqualTo("always refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"metadata.google.internal", "METADATA.Google.Internal", "metadata.google.internal.",
            "metadata.goog", "metadata"})
    void should_refuse_a_metadata_host_name_without_resolving_it(String host) {
        // given
        AtomicInteger lookups = new AtomicInteger();
        EgressPolicy policy = EgressPolicy.custom().resolver(name -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.ofLiteral("93.184.216.34"));
        }).build();

        // when
        EgressRefusedException refused = refusal(policy, host);

        // then
        assertThat(refused.kind()).isEqualTo("a cloud metadata host name");
        assertThat(refused.address()).isEmpty();
        assertThat(refused.getMessage()).contains("metadata");
        assertThat(lookups).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0", "0.1.2.3", "[::]"})
    void should_always_refuse_an_unspecified_address(String host) {
        assertThat(refusal(DEFAULTS, host).kind()).isEqualTo("an unspecified address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"224.0.0.1", "239.255.255.250", "[ff02::1]", "[ff05::1:3]"})
    void should_always_refuse_a_multicast_address(String host) {
        assertThat(refusal(DEFAULTS, host).kind()).isEqualTo("a multicast address");
    }

    @Test
    void should_always_refuse_broadcast_and_reserved_addresses() {
        assertThat(refusal(DEFAULTS, "255.255.255.255").kind()).isEqualTo("the broadcast address");
        assertThat(refusal(DEFAULTS, "240.0.0.1").kind()).isEqualTo("a reserved address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
            "100.127.255.254", "[fc00::1]", "[fd12:3456::1]", "[::ffff:10.1.2.3]"})
    void should_refuse_a_private_address_only_when_private_networks_are_not_allowed(String host) throws Exception {
        // when
        List<InetAddress> allowed = DEFAULTS.check(url(host));
        EgressRefusedException refused = refusal(PUBLIC_ONLY, host);

        // then
        assertThat(allowed).hasSize(1);
        assertThat(refused.kind()).isEqualTo("a private network address");
        assertThat(refused.rule()).isEqualTo("private networks are not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "[::1]", "[::ffff:127.0.0.1]", "localhost"})
    void should_refuse_a_loopback_address_only_when_loopback_is_not_allowed(String host) throws Exception {
        // given
        EgressPolicy noLoopback = EgressPolicy.custom().allowLoopback(false).build();

        // when
        List<InetAddress> allowed = DEFAULTS.check(url(host));
        EgressRefusedException refused = refusal(noLoopback, host);

        // then
        assertThat(allowed).allMatch(InetAddress::isLoopbackAddress);
        assertThat(refused.kind()).isEqualTo("a loopback address");
        assertThat(refused.rule()).isEqualTo("loopback is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "0177.0.0.1", "0x7f000001", "017700000001", "127.000.000.001", "134744072"})
    void should_refuse_an_ipv4_address_in_a_non_canonical_form_even_when_the_address_it_means_is_allowed(String host) {
        // when
        EgressRefusedException refused = refusal(DEFAULTS, host);

        // then
        assertThat(refused.kind()).isEqualTo("an IPv4 address in a non-canonical form");
        assertThat(refused.rule()).isEqualTo("always refused");
        assertThat(refused.address()).isPresent();
        assertThat(refused.reason()).startsWith("host " + host + " (" + refused.address().orElseThrow().getHostAddress() + ")");
    }

    @Test
    void should_read_an_octal_host_as_clients_do_not_as_the_jdk_does() {
        // when: the JDK's own parser reads these as 251.254.169.254 and 177.0.0.1, public addresses both
        EgressRefusedException metadata = refusal(DEFAULTS, "0251.254.169.254");
        EgressRefusedException loopback = refusal(EgressPolicy.custom().allowLoopback(false).build(), "0177.0.0.1");

        // then
        assertThat(metadata.kind()).isEqualTo("a cloud metadata address");
        assertThat(loopback.kind()).isEqualTo("a loopback address");
        assertThat(loopback.address()).contains(InetAddress.ofLiteral("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296", "08.0.0.1"})
    void should_refuse_a_host_that_ends_in_a_number_but_is_no_address_without_resolving_it(String host) {
        // given
        EgressPolicy policy = EgressPolicy.custom().resolver(name -> {
            throw new AssertionError("looked up " + name);
        }).build();

        // when
        EgressRefusedException refused = refusal(policy, host);

        // then
        assertThat(refused.kind()).isEqualTo("a number that is not a valid IPv4 address");
        assertThat(refused.address()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "172.32.0.1", "100.128.0.1", "169.255.0.1", "[2001:4860:4860::8888]",
            "[2606:4700:4700::1111]"})
    void should_allow_a_public_address_when_only_public_addresses_are_allowed(String host) throws Exception {
        assertThat(PUBLIC_ONLY.check(url(host))).hasSize(1);
    }

    @Test
    void should_refuse_a_name_when_any_of_its_addresses_is_refused() {
        // given
        EgressPolicy policy = EgressPolicy.custom().resolver(hosts(Map.of(
                "mixed.example", List.of("93.184.216.34", "2606:2800:220:1::", "169.254.169.254")))).build();

        // when / then
        assertThatThrownBy(() -> policy.check(url("mixed.example")))
                .isInstanceOfSatisfying(EgressRefusedException.class, refused -> {
                    assertThat(refused.host()).isEqualTo("mixed.example");
                    assertThat(refused.address()).contains(InetAddress.ofLiteral("169.254.169.254"));
                    assertThat(refused.reason()).isEqualTo(
                            "host 'mixed.example' resolves to 169.254.169.254, a cloud metadata address (always refused)");
                });
    }

    @Test
    void should_return_every_address_when_a_name_resolves_only_to_allowed_ones() throws Exception {
        // given
        EgressPolicy policy = PUBLIC_ONLY.toBuilder().resolver(hosts(Map.of(
                "models.example", List.of("93.184.216.34", "2606:2800:220:1::")))).build();

        // when
        List<InetAddress> addresses = policy.check(URI.create("https://models.example:8443/v1"));

        // then
        assertThat(addresses).containsExactly(
                InetAddress.ofLiteral("93.184.216.34"), InetAddress.ofLiteral("2606:2800:220:1::"));
    }

    @Test
    void should_refuse_a_name_resolving_to_a_private_address_when_private_networks_are_not_allowed() {
        // given
        EgressPolicy policy = PUBLIC_ONLY.toBuilder().resolver(hosts(Map.of("db.internal", List.of("10.1.2.3")))).build();

        // when
        EgressRefusedException refused = refusal(policy, "db.internal");

        // then
        assertThat(refused.reason()).isEqualTo(
                "host 'db.internal' resolves to 10.1.2.3, a private network address (private networks are not allowed)");
    }

    @Test
    void should_throw_unknown_host_when_a_name_does_not_resolve_or_has_no_address() {
        // given
        EgressPolicy policy = EgressPolicy.custom().resolver(hosts(Map.of("empty.example", List.of()))).build();

        // when / then
        assertThatThrownBy(() -> policy.check(url("nowhere.example"))).isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> policy.check(url("empty.example"))).isInstanceOf(UnknownHostException.class);
    }

    @Test
    void should_check_ip_literals_without_asking_the_resolver() throws Exception {
        // given
        EgressPolicy policy = EgressPolicy.custom().resolver(host -> {
            throw new AssertionError("looked up " + host);
        }).build();

        // when / then
        assertThat(policy.check(url("93.184.216.34"))).containsExactly(InetAddress.ofLiteral("93.184.216.34"));
        assertThat(policy.check(url("[2606:2800:220:1::]"))).hasSize(1);
    }

    @Test
    void should_allow_private_networks_and_loopback_by_default_and_neither_when_public_only() {
        assertThat(DEFAULTS.allowsPrivateNetworks()).isTrue();
        assertThat(DEFAULTS.allowsLoopback()).isTrue();
        assertThat(PUBLIC_ONLY.allowsPrivateNetworks()).isFalse();
        assertThat(PUBLIC_ONLY.allowsLoopback()).isFalse();
        assertThat(DEFAULTS.allows(InetAddress.ofLiteral("169.254.169.254"))).isFalse();
        assertThat(DEFAULTS.allows(InetAddress.ofLiteral("10.0.0.1"))).isTrue();
    }

    @Test
    void should_keep_the_other_switch_when_deriving_a_changed_copy() {
        // when
        EgressPolicy noLoopback = EgressPolicy.custom().allowPrivateNetworks(false).build()
                .toBuilder().allowLoopback(false).build();

        // then
        assertThat(noLoopback.allowsPrivateNetworks()).isFalse();
        assertThat(noLoopback.allowsLoopback()).isFalse();
    }
}
