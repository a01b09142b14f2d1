package io.consilium.router.messages;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Registers the filter that answers the Messages endpoint's refusals in Anthropic's error shape. */
@Configuration(proxyBeanMethods = false)
class MessagesConfiguration {

    @Bean
    FilterRegistrationBean<AnthropicErrorFilter> anthropicErrorFilter(JsonMapper json) {
        FilterRegistrationBean<AnthropicErrorFilter> registration =
                new FilterRegistrationBean<>(new AnthropicErrorFilter(json));
        registration.addUrlPatterns(MessagesController.PATH);
        // Before security and the body guards, so that their refusals are rewritten too.
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
        return registration;
    }
}
