package io.consilium.router.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.RunningService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The admin session at the HTTP level: what the cookie looks like, which pages need it, how it opens the
 * JSON APIs, and that a state-changing request needs the session's CSRF token.
 */
class AdminSessionsIT extends RunningService {

    private static final Pattern META_TOKEN = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");
    private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** A browser reduced to its session cookie. */
    private final class Browser {
        private @Nullable String cookie;

        HttpResponse<String> send(String method, String path, @Nullable String contentType, @Nullable String body,
                String... headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(30))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("content-type", contentType);
            }
            if (cookie != null) {
                request.header("cookie", cookie);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                response.headers().firstValue("set-cookie").ifPresent(set -> cookie = set.substring(0, set.indexOf(';')));
                return response;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        HttpResponse<String> get(String path) {
            return send("GET", path, null, null);
        }

        HttpResponse<String> signIn(String key) {
            return signIn(key, "/admin/keys");
        }

        HttpResponse<String> signIn(String key, String next) {
            String token = token(FORM_TOKEN, get("/admin/sign-in").body());
            return send("POST", "/admin/sign-in", "application/x-www-form-urlencoded",
                    "_csrf=" + encode(token) + "&admin_key=" + encode(key) + "&next=" + encode(next));
        }

        String pageToken() {
            return token(META_TOKEN, get("/admin").body());
        }
    }

    private static String token(Pattern pattern, String page) {
        Matcher matcher = pattern.matcher(page);
        assertThat(matcher.find()).as("a CSRF token in the page").isTrue();
        return matcher.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void should_send_pages_to_sign_in_and_keep_assets_public() {
        Browser anonymous = new Browser();

        HttpResponse<String> overview = anonymous.get("/admin");
        HttpResponse<String> experts = anonymous.get("/admin/experts");
        HttpResponse<String> fragment = anonymous.send("GET", "/admin/experts/rows", null, null, "HX-Request", "true");

        assertThat(overview.statusCode()).isEqualTo(302);
        assertThat(overview.headers().firstValue("location").orElseThrow()).endsWith("/admin/sign-in");
        assertThat(experts.headers().firstValue("location").orElseThrow()).endsWith("/admin/sign-in?next=%2Fadmin%2Fexperts");
        assertThat(fragment.headers().firstValue("HX-Redirect")).contains("/admin/sign-in?expired");
        assertThat(anonymous.get("/admin/assets/admin.css").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/webjars/chart.js/dist/chart.umd.min.js").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/admin/api/experts").statusCode()).isEqualTo(401);
    }

    @Test
    void should_sign_in_with_the_admin_key_into_a_hardened_session() {
        Browser browser = new Browser();
        String before = browser.get("/admin/sign-in").headers().firstValue("set-cookie").orElseThrow();

        HttpResponse<String> wrong = browser.signIn("not-the-key");
        HttpResponse<String> right = browser.signIn(ADMIN_KEY);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("That is not the admin key");
        assertThat(right.statusCode()).isEqualTo(302);
        assertThat(right.headers().firstValue("location").orElseThrow()).endsWith("/admin/keys");
        String cookie = right.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax");
        assertThat(cookie.substring(0, cookie.indexOf(';'))).as("a new session id after signing in")
                .isNotEqualTo(before.substring(0, before.indexOf(';')));
        HttpResponse<String> page = browser.get("/admin/experts");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow()).contains("script-src 'self'");
        assertThat(page.body()).doesNotContain("jsessionid");
    }

    @Test
    void should_not_sign_in_with_a_form_from_another_session_or_redirect_elsewhere() {
        Browser victim = new Browser();
        String foreignToken = token(FORM_TOKEN, new Browser().get("/admin/sign-in").body());
        victim.get("/admin/sign-in");

        HttpResponse<String> forged = victim.send("POST", "/admin/sign-in", "application/x-www-form-urlencoded",
                "_csrf=" + encode(foreignToken) + "&admin_key=" + encode(ADMIN_KEY));
        HttpResponse<String> offsite = new Browser().signIn(ADMIN_KEY, "https://evil.example/");

        assertThat(forged.statusCode()).isEqualTo(302);
        assertThat(forged.headers().firstValue("location").orElseThrow()).endsWith("/admin/sign-in?retry");
        assertThat(victim.get("/admin").statusCode()).isEqualTo(302);
        assertThat(offsite.headers().firstValue("location").orElseThrow()).endsWith("/admin");
    }

    @Test
    void should_open_the_json_apis_to_the_session_and_require_the_csrf_header_to_change_state() {
        Browser browser = new Browser();
        browser.signIn(ADMIN_KEY);
        String token = browser.pageToken();

        HttpResponse<String> read = browser.get("/admin/api/experts");
        HttpResponse<String> models = browser.get("/v1/models");
        HttpResponse<String> withoutToken = browser.send("POST", "/admin/api/keys", "application/json", "{\"name\": \"ui-csrf\"}");
        HttpResponse<String> wrongToken = browser.send("POST", "/admin/api/keys", "application/json", "{\"name\": \"ui-csrf\"}",
                "X-CSRF-Token", "forged");
        HttpResponse<String> withToken = browser.send("POST", "/admin/api/keys", "application/json", "{\"name\": \"ui-csrf\"}",
                "X-CSRF-Token", token);

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(json(withoutToken).path("error").path("code").asString()).isEqualTo("csrf_token_invalid");
        assertThat(json(withoutToken).path("error").path("type").asString()).isEqualTo("permission_error");
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(withToken.statusCode()).isEqualTo(201);
        assertThat(json(withToken).path("key").asString()).startsWith("csk-");
    }

    @Test
    void should_end_the_session_on_sign_out() {
        Browser browser = new Browser();
        browser.signIn(ADMIN_KEY);
        String token = browser.pageToken();

        HttpResponse<String> withoutToken = browser.send("POST", "/admin/sign-out", "application/x-www-form-urlencoded", "");
        HttpResponse<String> signedOut = browser.send("POST", "/admin/sign-out", "application/x-www-form-urlencoded",
                "_csrf=" + encode(token));

        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("location").orElseThrow()).endsWith("/admin/sign-in?signed-out");
        assertThat(browser.get("/admin").statusCode()).isEqualTo(302);
        assertThat(browser.get("/admin/api/experts").statusCode()).isEqualTo(401);
    }
}
