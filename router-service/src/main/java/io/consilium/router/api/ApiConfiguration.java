package io.consilium.router.api;

import io.consilium.router.config.ConsiliumProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import tools.jackson.databind.json.JsonMapper;

/** Registers the API's servlet-level guards, and the container's own error answers in the OpenAI shape. */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /**
     * The guards look at bodies only of requests that security let in: a request without a key costs next to
     * nothing. They are plain filters, registered for the request dispatch only (the registration's default),
     * so they need none of {@code OncePerRequestFilter}'s bookkeeping, two request-attribute writes per call.
     */
    private static final int AFTER_SECURITY = SecurityFilterProperties.DEFAULT_FILTER_ORDER;

    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ConsiliumProperties properties, JsonMapper json) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.api().maxBodySize().toBytes(), json));
        registration.addUrlPatterns("/v1/*", "/admin/api/*");
        registration.setOrder(AFTER_SECURITY + 2);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ContentTypeFilter> contentTypeFilter(JsonMapper json) {
        FilterRegistrationBean<ContentTypeFilter> registration = new FilterRegistrationBean<>(new ContentTypeFilter(json));
        registration.addUrlPatterns("/v1/*", "/admin/api/*");
        registration.setOrder(AFTER_SECURITY + 1);
        return registration;
    }

    /**
     * Tomcat refuses some requests before any application code runs (a malformed percent-encoding, an
     * encoded slash or NUL in the path) and answers them through its host's error report valve; this one
     * answers in the OpenAI error shape instead of an HTML page. Boot installs a plain valve in a context
     * customizer too; this one replaces it.
     */
    @Bean
    TomcatContextCustomizer openAiContainerErrors() {
        return context -> context.addLifecycleListener(event -> {
            if (org.apache.catalina.Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                ContainerErrorReport.install(context.getParent().getPipeline());
            }
        });
    }
}
