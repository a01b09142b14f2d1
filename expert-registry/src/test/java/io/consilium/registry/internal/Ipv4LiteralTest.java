package io.consilium.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.registry.internal.Ipv4Literal.Form;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4LiteralTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "255.255.255.255", "10.0.0.1", "192.168.100.200", "8.8.8.8"})
    void should_accept_a_dotted_quad_of_decimal_numbers_without_leading_zeros(String host) {
        // when
        Ipv4Literal read = Ipv4Literal.read(host);

        // then
        assertThat(read.form()).isEqualTo(Form.CANONICAL);
        assertThat(read.address()).isEqualTo(InetAddress.ofLiteral(host));
        assertThat(read.problem()).isEmpty();
    }

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({
            // one part: the whole 32 bits, in decimal, octal or hex
            "2130706433, 127.0.0.1",
            "017700000001, 127.0.0.1",
            "0x7f000001, 127.0.0.1",
            "0X7F000001, 127.0.0.1",
            "0, 0.0.0.0",
            "4294967295, 255.255.255.255",
            "037777777777, 255.255.255.255",
            "0xffffffff, 255.255.255.255",
            // two parts: 8 bits, then 24
            "127.1, 127.0.0.1",
            "0x7f.1, 127.0.0.1",
            "1.16777215, 1.255.255.255",
            // three parts: 8, 8, then 16
            "127.0.1, 127.0.0.1",
            "1.2.65535, 1.2.255.255",
            "0177.0.0x1, 127.0.0.1",
            // four parts, with an octal or hex part, or a leading zero that makes a part octal
            "0177.0.0.1, 127.0.0.1",
            "0x7f.0.0.1, 127.0.0.1",
            "0x7f.0x0.0x0.0x1, 127.0.0.1",
            "127.000.000.001, 127.0.0.1",
            "010.0.0.1, 8.0.0.1",
            "0251.0376.0251.0376, 169.254.169.254",
            // a trailing dot, which readers drop
            "127.0.0.1., 127.0.0.1"})
    void should_read_every_other_inet_aton_form_as_the_address_it_means_and_call_it_non_canonical(
            String host, String meant) {
        // when
        Ipv4Literal read = Ipv4Literal.read(host);

        // then
        assertThat(read.form()).isEqualTo(Form.NON_CANONICAL);
        assertThat(read.address()).isEqualTo(InetAddress.ofLiteral(meant));
        assertThat(read.problem()).contains("'" + host + "' is an IPv4 address in a non-canonical form that clients read as "
                + meant + "; write it as " + meant);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "4294967296", "0x100000000", "040000000000", // one part beyond 32 bits
            "256.1", "1.16777216", // two parts: first beyond 8 bits, last beyond 24
            "1.2.65536", "1.256.1", // three parts: last beyond 16 bits, middle beyond 8
            "256.0.0.1", "1.2.3.256", "1.2.3.0x100", // four parts beyond 8 bits
            "1.2.3.4.5", // five parts
            "08.0.0.1", "1.2.3.09", // 8 and 9 are no octal digits
            "0x", "1.2.3.0x", "0xg.1", // hex without digits, or with a wrong one
            "1..2", "example.123", "localhost.0x1f"})
    void should_call_a_host_that_ends_in_a_number_but_reads_as_no_address_invalid(String host) {
        // when
        Ipv4Literal read = Ipv4Literal.read(host);

        // then
        assertThat(read.form()).isEqualTo(Form.INVALID);
        assertThat(read.address()).isNull();
        assertThat(read.problem()).hasValueSatisfying(problem -> assertThat(problem).startsWith("'" + host + "' ends in a number"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "vllm", "api.openai.com", "0x7f.example", "1e100.net", "127.0.0.1.nip.io",
            "::1", "[::ffff:127.1]", "fe80::1%eth0"})
    void should_leave_names_and_ipv6_literals_to_the_resolver(String host) {
        // when
        Ipv4Literal read = Ipv4Literal.read(host);

        // then
        assertThat(read.form()).isEqualTo(Form.NAME);
        assertThat(read.address()).isNull();
        assertThat(read.problem()).isEmpty();
    }

    @Test
    void should_name_the_host_as_written_and_the_dotted_quad_to_write_instead() {
        assertThat(Ipv4Literal.read("0x7f.1").problem()).contains(
                "'0x7f.1' is an IPv4 address in a non-canonical form that clients read as 127.0.0.1; write it as 127.0.0.1");
    }
}
