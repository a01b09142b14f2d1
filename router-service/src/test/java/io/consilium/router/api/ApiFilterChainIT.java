package io.consilium.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.RunningService;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The API path carries only the filters it needs: the UI's filters stay on the UI, and no WebSocket filter exists. */
class ApiFilterChainIT extends RunningService {

    @Autowired
    private ServletContext servletContext;

    @Test
    void should_keep_the_resource_link_filter_to_the_ui_and_install_no_websocket_filter() {
        // when
        Map<String, ? extends FilterRegistration> filters = servletContext.getFilterRegistrations();

        // then
        assertThat(filters.get("resourceUrlEncodingFilter").getUrlPatternMappings()).containsExactly("/admin/*");
        assertThat(filters.values()).noneSatisfy(filter -> assertThat(filter.getClassName()).contains("WsFilter"));
    }
}
