package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.ErrorResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs after authorisation: an admitted API-key request passes its key's rate limits before its body is
 * read, and is charged the tokens it used when it ends. The admin and anonymous callers have no limits.
 */
final class KeyLimitsFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final JsonMapper json;

    KeyLimitsFilter(RateLimits limits, JsonMapper json) {
        this.limits = limits;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiKey key = Caller.of(request).apiKey();
        if (key == null) {
            chain.doFilter(request, response);
            return;
        }
        try {
            limits.admit(key);
        } catch (ApiException limited) {
            ErrorResponses.write(response, json, limited);
            return;
        }
        TokenMeter meter = new TokenMeter();
        try {
            ScopedValue.where(TokenMeter.CURRENT, meter).call(() -> {
                chain.doFilter(request, response);
                return null;
            });
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        } finally {
            limits.charge(key, meter.tokens());
        }
    }
}
