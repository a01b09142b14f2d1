package io.consilium.router.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.consilium.router.RunningService;
import io.consilium.router.testing.RawHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The sign-in form against a forged Host header and against guessing. Each test signs in from its own
 * loopback address, so that the throttle's memory of one address does not reach the other tests.
 */
class AdminSignInIT extends RunningService {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final String FORGED_HOST = "evil.example:6666";

    @Test
    void should_redirect_relatively_whatever_host_the_request_claims() throws IOException {
        // given
        InetAddress client = InetAddress.getByName("127.0.0.41");
        Form form = openForm(client);

        // when
        RawHttp.Response signedIn = submit(client, form, ADMIN_KEY, "/admin/keys");
        RawHttp.Response toSignIn = RawHttp.send(port, client, "GET /admin/experts HTTP/1.1\r\nHost: " + FORGED_HOST
                + "\r\nConnection: close\r\n\r\n");

        // then
        assertThat(signedIn.status()).as(signedIn.text()).isEqualTo(302);
        assertThat(signedIn.header("location")).hasValue("/admin/keys");
        assertThat(toSignIn.status()).isEqualTo(302);
        assertThat(toSignIn.header("location")).hasValueSatisfying(location -> assertThat(location)
                .startsWith("/admin/sign-in").doesNotContain("evil"));
    }

    @Test
    void should_make_an_address_wait_longer_after_each_failed_sign_in_and_count_it() throws IOException {
        // given
        InetAddress guesser = InetAddress.getByName("127.0.0.42");
        InetAddress bystander = InetAddress.getByName("127.0.0.43");
        Form form = openForm(guesser);
        double throttledBefore = throttledSignIns();

        // when
        RawHttp.Response first = submit(guesser, form, "guess-1", "");
        RawHttp.Response second = submit(guesser, form, "guess-2", "");
        RawHttp.Response rightKeyTooSoon = submit(guesser, form, ADMIN_KEY, "");
        RawHttp.Response bystanderSignsIn = submit(bystander, openForm(bystander), ADMIN_KEY, "");

        // then
        assertThat(first.status()).isEqualTo(401);
        assertThat(second.status()).isEqualTo(401);
        assertThat(rightKeyTooSoon.status()).as(rightKeyTooSoon.text()).isEqualTo(429);
        assertThat(rightKeyTooSoon.header("retry-after")).hasValue("1");
        assertThat(rightKeyTooSoon.body()).contains("Too many failed sign-ins");
        assertThat(bystanderSignsIn.status()).isEqualTo(302);
        assertThat(throttledSignIns()).isGreaterThan(throttledBefore);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> submit(guesser, form, ADMIN_KEY, "").status() == 302);
    }

    private record Form(String cookie, String csrfToken) {}

    private Form openForm(InetAddress client) throws IOException {
        RawHttp.Response page = RawHttp.send(port, client, "GET /admin/sign-in HTTP/1.1\r\nHost: " + FORGED_HOST
                + "\r\nConnection: close\r\n\r\n");
        String cookie = page.header("set-cookie").orElseThrow();
        Matcher token = CSRF_FIELD.matcher(page.body());
        assertThat(token.find()).as(page.text()).isTrue();
        return new Form(cookie.substring(0, cookie.indexOf(';')), token.group(1));
    }

    private RawHttp.Response submit(InetAddress client, Form form, String key, String next) throws IOException {
        String body = "admin_key=" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(form.csrfToken(), StandardCharsets.UTF_8) + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        return RawHttp.send(port, client, "POST /admin/sign-in HTTP/1.1\r\nHost: " + FORGED_HOST + "\r\nCookie: "
                + form.cookie() + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
    }

    private double throttledSignIns() {
        String metrics = send("GET", "/actuator/prometheus", null, null).body();
        return metrics.lines()
                .filter(line -> line.startsWith("consilium_admin_sign_in_total") && line.contains("outcome=\"throttled\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
