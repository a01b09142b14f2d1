package io.consilium.router.ui;

import io.micrometer.core.instrument.config.MeterFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/** Hardens the session cookie, keeps the UI's resource-link filter to the UI, and gives the overview its latency buckets. */
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

    /**
     * Versioned links to the UI's static resources are written only by the UI's pages, so the filter that
     * rewrites them wraps only the UI's responses, not every API call (where it showed in profiles).
     */
    @Bean
    static FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilter() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration =
                new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.addUrlPatterns("/admin/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ERROR);
        return registration;
    }

    /** Static, so that the meter registry, made early, does not pull this configuration and its sessions in with it. */
    @Bean
    static MeterFilter expertCallBuckets() {
        return LatencyBuckets.meterFilter();
    }
}
