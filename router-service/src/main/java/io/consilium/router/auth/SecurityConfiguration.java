package io.consilium.router.auth;

import io.consilium.router.budgets.Budgets;
import io.consilium.router.config.ConsiliumProperties;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Security of the JSON APIs on Spring Security's filter chain. The firewall ({@code StrictHttpFirewall},
 * the default) refuses matrix parameters, encoded slashes and periods and other odd paths before any
 * route is matched, and routes are matched on the same normalised path that Spring MVC dispatches on, so
 * what is authorised is what runs. Requests that present a key take a stateless chain of their own; the key
 * is checked by two authentication providers (the admin key, then API keys). The others take a chain that
 * knows the admin UI's session. The admin role is required per route, the same rules in both. The admin UI's
 * pages have their own chain in the UI package, sharing the session's security context and CSRF token.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** The JSON APIs, matched on the path Spring MVC dispatches on. */
    private static final RequestMatcher API = new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/v1/**"),
            PathPatternRequestMatcher.pathPattern("/admin/api/**"));

    @Bean
    AuthenticationManager keyAuthentication(AdminKey adminKey, ApiKeys keys) {
        ProviderManager providers = new ProviderManager(new AdminKeyAuthenticationProvider(adminKey),
                new ApiKeyAuthenticationProvider(keys));
        providers.setEraseCredentialsAfterAuthentication(true);
        return providers;
    }

    /** Where a signed-in browser's admin identity is kept: its session (and the request, for async dispatches). */
    @Bean
    SecurityContextRepository securityContextRepository() {
        return new DelegatingSecurityContextRepository(new RequestAttributeSecurityContextRepository(),
                new HttpSessionSecurityContextRepository());
    }

    /** The session's CSRF token, under the names the UI's pages and scripts send it with. */
    @Bean
    CsrfTokenRepository csrfTokenRepository() {
        HttpSessionCsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();
        tokens.setHeaderName(AdminSessions.CSRF_HEADER);
        tokens.setParameterName(AdminSessions.CSRF_PARAMETER);
        return tokens;
    }

    @Bean
    AdminSessions adminSessions(AdminKey adminKey, SecurityContextRepository contexts, CsrfTokenRepository csrfTokens) {
        return new AdminSessions(adminKey, contexts, csrfTokens);
    }

    @Bean
    SignInThrottle signInThrottle(MeterRegistry meters) {
        return new SignInThrottle(Clock.systemUTC(), meters);
    }

    /**
     * No observation of the security filters: with Micrometer present, Spring Security would otherwise wrap
     * each of its filters in an observation, which halved the direct path's throughput in the load report.
     * The request itself is still observed (http.server.requests), refusals included.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Paths the firewall refuses are answered in the OpenAI error shape, whatever the path. */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
        return apiSecurityErrors(json);
    }

    /**
     * Requests that present a key: the key alone says who calls, for this request only, so this chain keeps
     * no session, reads none, needs no CSRF token (a browser never attaches a key by itself) and no
     * anonymous identity. It is the API's hot path, and half the filters of the general chain below: each
     * filter costs request-attribute traffic through the servlet wrappers on every call.
     */
    @Bean
    @Order(0)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain keyedApiSecurity(HttpSecurity http, AuthenticationManager keyAuthentication, RateLimits limits,
            Budgets budgets, ConsiliumProperties properties, JsonMapper json) throws Exception {
        ApiSecurityErrors errors = apiSecurityErrors(json);
        http.securityMatcher(new AndRequestMatcher(API, BearerKeyFilter::presentsAKey))
                .authorizeHttpRequests(routes -> apiRoutes(routes, properties.auth().anonymous()))
                .addFilterBefore(new BearerKeyFilter(keyAuthentication, errors), ExceptionTranslationFilter.class)
                .addFilterAfter(new KeyLimitsFilter(limits, budgets, json), AuthorizationFilter.class)
                // Only for this request's own async dispatches (server-sent events), which present the key again.
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                .sessionManagement(AbstractHttpConfigurer::disable)
                .csrf(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable);
        return apiDefaults(http, json).build();
    }

    /**
     * The API's other requests: no key (refused, unless anonymous access is on), or a browser signed in to the
     * admin UI, whose session is used where it exists (the APIs never start one) and whose state-changing
     * requests must carry the session's CSRF token.
     */
    @Bean
    @Order(1)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    SecurityFilterChain apiSecurity(HttpSecurity http, SecurityContextRepository contexts, CsrfTokenRepository csrfTokens,
            ConsiliumProperties properties, JsonMapper json) throws Exception {
        // Every request that presents a key went to the keyed chain, so here no key is read and no limit applies.
        http.securityMatcher(API)
                .authorizeHttpRequests(routes -> apiRoutes(routes, properties.auth().anonymous()))
                .securityContext(context -> context.securityContextRepository(contexts))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens).requireCsrfProtectionMatcher(signedInBrowserChangingState()));
        return apiDefaults(http, json).build();
    }

    /**
     * What both API chains share: refusals in the API's error shape, {@code nosniff} as the only security header,
     * and none of the browser-login machinery (saved requests, forms, basic auth, logout).
     */
    private static HttpSecurity apiDefaults(HttpSecurity http, JsonMapper json) throws Exception {
        ApiSecurityErrors errors = apiSecurityErrors(json);
        return http.exceptionHandling(refusals -> refusals.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .headers(headers -> headers.defaultsDisabled().contentTypeOptions(Customizer.withDefaults()))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
    }

    /** The admin API needs the admin role; the rest of the API a client or the admin, or no one when anonymous. */
    private static void apiRoutes(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes,
            boolean anonymous) {
        routes.requestMatchers("/admin/api/**").hasRole(CallerAuthentication.ADMIN);
        if (anonymous) {
            routes.requestMatchers("/v1/**").permitAll();
        } else {
            routes.requestMatchers("/v1/**").hasAnyRole(CallerAuthentication.CLIENT, CallerAuthentication.ADMIN);
        }
        routes.anyRequest().denyAll();
    }

    private static ApiSecurityErrors apiSecurityErrors(JsonMapper json) {
        return new ApiSecurityErrors(PathPatternRequestMatcher.pathPattern("/admin/api/**"), json);
    }

    /**
     * A request that the browser's session cookie authenticates: the browser attaches the cookie by itself,
     * so a state-changing one must prove it comes from a page of the UI. A request with a key does not.
     */
    private static RequestMatcher signedInBrowserChangingState() {
        return request -> STATE_CHANGING.contains(request.getMethod())
                && request.getHeader(HttpHeaders.AUTHORIZATION) == null
                && !BearerKeyFilter.presentsAKey(request)
                && hasSignedInSession(request);
    }

    private static boolean hasSignedInSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null
                && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) != null;
    }
}
