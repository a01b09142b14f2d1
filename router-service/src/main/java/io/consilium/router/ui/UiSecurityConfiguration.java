package io.consilium.router.ui;

import io.consilium.router.auth.AdminSessions;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Security of the admin UI's pages: every page but the sign-in page and the assets needs the admin role,
 * which only a signed-in session has; every state-changing request needs the session's CSRF token; every
 * answer carries headers that keep the pages from being framed, sniffed or cached. The JSON APIs under
 * {@code /admin/api} have their own chain, which comes first.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class UiSecurityConfiguration {

    /** Scripts and styles come only from this origin (no inline script), so injected markup cannot run code. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'self'; form-action 'self'";

    @Bean
    @Order(2)
    SecurityFilterChain uiSecurity(HttpSecurity http, SecurityContextRepository contexts, CsrfTokenRepository csrfTokens)
            throws Exception {
        UiSecurity refusals = new UiSecurity();
        http.securityMatcher("/admin", "/admin/**")
                .authorizeHttpRequests(pages -> pages
                        .requestMatchers(AdminSessions.SIGN_IN_PAGE, "/admin/assets/**").permitAll()
                        .anyRequest().hasRole("ADMIN"))
                .securityContext(context -> context.securityContextRepository(contexts))
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .frameOptions(frames -> frames.deny()))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        return http.build();
    }
}
