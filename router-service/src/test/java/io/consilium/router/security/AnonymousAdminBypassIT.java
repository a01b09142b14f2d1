package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.testing.RawHttp;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With anonymous chat switched on, a request without any key reaches {@code /v1} and nothing else,
 * however the admin path is spelled.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "consilium.auth.anonymous=true",
        "consilium.auth.admin-key=anonymous-bypass-admin-key"
})
class AnonymousAdminBypassIT {

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/admin/api/keys", "/admin;/api/keys", "/admin;x=1/api/keys", "/%61dmin/api/keys",
            "/v1/../admin/api/keys", "/v1/%2e%2e/admin/api/keys"})
    void should_keep_anonymous_callers_out_of_the_admin_api(String path) throws IOException {
        // when
        RawHttp.Response minted = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 16\r\nConnection: close\r\n\r\n{\"name\": \"evil\"}");
        RawHttp.Response listed = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // then
        assertThat(minted.status()).as(minted.text()).isIn(400, 401, 404);
        assertThat(minted.body()).doesNotContain("csk-");
        assertThat(listed.status()).as(listed.text()).isIn(400, 401, 404);
        assertThat(listed.body()).doesNotContain("\"data\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/models"})
    void should_still_serve_the_chat_api_without_a_key(String path) throws IOException {
        // when
        RawHttp.Response models = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        // then
        assertThat(models.status()).as(models.text()).isEqualTo(200);
        assertThat(models.body()).contains("consilium/auto");
    }
}
