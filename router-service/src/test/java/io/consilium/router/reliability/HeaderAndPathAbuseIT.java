package io.consilium.router.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.RunningService;
import io.consilium.router.testing.RawHttp;
import io.consilium.router.testing.RawHttp.Response;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests a client library would refuse to send, written on a raw socket: oversized headers,
 * traversal and CRLF in ids. They get a 4xx, no stack trace, and no header of the attacker's making.
 */
class HeaderAndPathAbuseIT extends RunningService {

    @ParameterizedTest
    @ValueSource(strings = {
            "/admin/api/experts/..%2F..%2Fetc%2Fpasswd",
            "/admin/api/experts/%2e%2e/%2e%2e/etc/passwd",
            "/admin/api/keys/key_1%0D%0AX-Injected:%20yes",
            "/admin/api/profiling-jobs/job%0d%0aSet-Cookie:%20x=y/events",
            "/v1/models/..%2F..%2Fadmin%2Fapi%2Fkeys",
            "/v1/files/..%2F..%2Fetc%2Fpasswd/content",
            "/v1/batches/%00"})
    void should_refuse_traversal_and_crlf_in_ids_without_echoing_headers(String path) throws IOException {
        // when
        Response response = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN_KEY
                + "\r\nConnection: close\r\n\r\n");

        // then
        assertThat(response.status()).as(response.text()).isBetween(400, 499);
        assertThat(response.headers()).noneMatch(header -> header.toLowerCase().startsWith("x-injected")
                || header.toLowerCase().startsWith("set-cookie: x="));
        assertThat(response.text()).doesNotContain("\tat ").doesNotContain("root:");
    }

    @ParameterizedTest
    @ValueSource(ints = {16 * 1024, 64 * 1024})
    void should_refuse_oversized_headers_with_a_4xx(int size) throws IOException {
        // when
        Response response = raw("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + ADMIN_KEY + "\r\nX-Padding: " + "a".repeat(size) + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");

        // then
        assertThat(response.status()).as(response.text()).isBetween(400, 499);
        assertThat(response.text()).doesNotContain("\tat ");
    }

    private Response raw(String request) throws IOException {
        return RawHttp.send(port, request);
    }
}
