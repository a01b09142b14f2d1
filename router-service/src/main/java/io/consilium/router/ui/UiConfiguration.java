package io.consilium.router.ui;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Hardens the session cookie and gives the overview its latency buckets. */
@Configuration(proxyBeanMethods = false)
class UiConfiguration {

    /**
     * The session cookie is out of reach of page scripts and is not sent with cross-site requests that
     * change state. The container marks it Secure by itself when the request came over https (behind a
     * TLS-terminating proxy, set {@code server.forward-headers-strategy} so that it knows). The id never goes
     * into URLs, where it would leak through logs and the Referer header.
     */
    @Bean
    static ServletContextInitializer adminSessionCookie() {
        return servletContext -> {
            SessionCookieConfig cookie = servletContext.getSessionCookieConfig();
            cookie.setHttpOnly(true);
            cookie.setAttribute("SameSite", "Lax");
            servletContext.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
        };
    }

    /** Static, so that the meter registry, made early, does not pull this configuration and its sessions in with it. */
    @Bean
    static MeterFilter expertCallBuckets() {
        return LatencyBuckets.meterFilter();
    }
}
