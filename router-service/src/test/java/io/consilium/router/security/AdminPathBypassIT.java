package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.RunningService;
import io.consilium.router.testing.RawHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A chat key must not reach the admin API by any spelling of its path: matrix parameters, percent-encoded
 * letters, encoded slashes or dots. Each variant is refused in the OpenAI error shape and changes nothing.
 */
class AdminPathBypassIT extends RunningService {

    private String chatKey;

    @BeforeEach
    void createChatKey() {
        chatKey = json(postJson("/admin/api/keys", "{\"name\": \"chat only\"}")).path("key").asString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin;/api/keys", "/admin;x=1/api/keys", "/%61dmin/api/keys", "/admin/%61pi/keys",
            "/admin/api;/keys", "/admin/api/keys;jsessionid=x", "/v1/..;/admin/api/keys", "/admin//api/keys",
            "/admin/./api/keys", "/admin/api/%6beys"})
    void should_not_let_a_chat_key_mint_keys_by_respelling_the_admin_path(String path) throws IOException {
        // given
        int keysBefore = keyCount();

        // when
        RawHttp.Response response = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + chatKey + "\r\nContent-Type: application/json\r\nContent-Length: 16\r\n"
                + "Connection: close\r\n\r\n{\"name\": \"evil\"}");

        // then
        assertThat(response.status()).as(response.text()).isIn(400, 403);
        assertOpenAiError(response);
        assertThat(keyCount()).isEqualTo(keysBefore);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin;/api/experts", "/%61dmin/api/experts", "/admin;x=1/api/experts"})
    void should_not_let_a_chat_key_create_experts_by_respelling_the_admin_path(String path) throws IOException {
        // given
        String body = "{\"id\": \"planted\", \"provider\": \"openai\", \"base_url\": \"http://127.0.0.1:9/v1\", \"model\": \"m\"}";

        // when
        RawHttp.Response response = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + chatKey + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body);

        // then
        assertThat(response.status()).as(response.text()).isIn(400, 403);
        assertThat(send("GET", "/admin/api/experts/planted", null, null).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%61dmin/api/experts/mock-math", "/admin;/api/experts/mock-math"})
    void should_not_let_a_chat_key_delete_experts_by_respelling_the_admin_path(String path) throws IOException {
        // when
        RawHttp.Response response = RawHttp.send(port, "DELETE " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + chatKey + "\r\nConnection: close\r\n\r\n");

        // then
        assertThat(response.status()).as(response.text()).isIn(400, 403);
        assertThat(send("GET", "/admin/api/experts/mock-math", null, null).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/chat%2fcompletions", "/v1/models%00", "/v1/mod%els", "/v1/models%", "/v1/models%2e%2e",
            "/v1%5cmodels"})
    void should_answer_bad_path_encodings_in_the_openai_error_shape(String path) throws IOException {
        // when
        RawHttp.Response response = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + chatKey + "\r\nConnection: close\r\n\r\n");

        // then
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.header("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertOpenAiError(response);
        assertThat(response.body()).doesNotContainIgnoringCase("<html").doesNotContain("Tomcat");
    }

    private int keyCount() {
        HttpResponse<String> keys = send("GET", "/admin/api/keys", null, null);
        JsonNode list = json(keys).path("data");
        return list.size();
    }

    private static void assertOpenAiError(RawHttp.Response response) {
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("message").asString()).as(response.text()).isNotBlank();
        assertThat(error.path("type").asString()).isIn("invalid_request_error", "permission_error");
    }
}
