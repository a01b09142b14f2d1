package io.consilium.router.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.consilium.router.RunningService;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.servletapi.SecurityContextHolderAwareRequestFilter;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.session.SessionManagementFilter;

/**
 * The API path carries only the filters it needs: the UI's filters stay on the UI, no WebSocket filter exists,
 * and a request that presents a key skips everything that only a browser's session needs.
 */
class ApiFilterChainIT extends RunningService {

    private static final List<Class<? extends Filter>> SESSION_FILTERS = List.of(DisableEncodeUrlFilter.class,
            CsrfFilter.class, SecurityContextHolderAwareRequestFilter.class, AnonymousAuthenticationFilter.class,
            SessionManagementFilter.class);

    @Autowired
    private ServletContext servletContext;

    @Autowired
    private FilterChainProxy security;

    @Test
    void should_keep_the_resource_link_filter_to_the_ui_and_install_no_websocket_filter() {
        // when
        Map<String, ? extends FilterRegistration> filters = servletContext.getFilterRegistrations();

        // then
        assertThat(filters.get("resourceUrlEncodingFilter").getUrlPatternMappings()).containsExactly("/admin/*");
        assertThat(filters.values()).noneSatisfy(filter -> assertThat(filter.getClassName()).contains("WsFilter"));
    }

    @Test
    void should_send_requests_with_a_key_through_a_chain_without_the_sessions_filters() {
        // given
        MockHttpServletRequest bearer = request("POST", "/v1/chat/completions");
        bearer.addHeader("Authorization", "Bearer sk-anything");
        MockHttpServletRequest anthropic = request("POST", "/v1/messages");
        anthropic.addHeader("x-api-key", "sk-anything");
        MockHttpServletRequest admin = request("GET", "/admin/api/keys");
        admin.addHeader("Authorization", "Bearer sk-anything");

        // then
        for (MockHttpServletRequest keyed : List.of(bearer, anthropic, admin)) {
            assertThat(filterTypes(keyed)).as(keyed.getRequestURI()).doesNotContainAnyElementsOf(SESSION_FILTERS)
                    .contains(AuthorizationFilter.class);
        }
    }

    @Test
    void should_keep_the_session_and_csrf_filters_for_requests_without_a_key() {
        // given: a browser signed in to the admin UI calls the API with its session cookie, or a key is sent
        // in a header that only the Messages endpoint reads
        MockHttpServletRequest browser = request("POST", "/admin/api/keys");
        MockHttpServletRequest xApiKeyElsewhere = request("POST", "/v1/chat/completions");
        xApiKeyElsewhere.addHeader("x-api-key", "sk-anything");

        // then
        for (MockHttpServletRequest unkeyed : List.of(browser, xApiKeyElsewhere)) {
            assertThat(filterTypes(unkeyed)).as(unkeyed.getRequestURI()).containsAll(SESSION_FILTERS);
        }
    }

    private static MockHttpServletRequest request(String method, String path) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        return request;
    }

    private List<Class<?>> filterTypes(MockHttpServletRequest request) {
        SecurityFilterChain chain = security.getFilterChains().stream().filter(candidate -> candidate.matches(request))
                .findFirst().orElseThrow(() -> new AssertionError("no security chain for " + request.getRequestURI()));
        return chain.getFilters().stream().<Class<?>>map(Object::getClass).toList();
    }
}
