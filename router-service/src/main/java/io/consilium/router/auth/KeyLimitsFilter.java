package io.consilium.router.auth;

import io.consilium.router.api.ApiException;
import io.consilium.router.api.ErrorResponses;
import io.consilium.router.budgets.Budgets;
import io.consilium.router.routing.RoutingCeiling;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs after authorisation: an admitted API-key request passes its key's rate limits and budget before its
 * body is read, is planned within its key's routing ceiling, and is charged the tokens it used and what they
 * cost when it ends. The admin and anonymous callers have no limits.
 */
final class KeyLimitsFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final Budgets budgets;
    private final JsonMapper json;

    KeyLimitsFilter(RateLimits limits, Budgets budgets, JsonMapper json) {
        this.limits = limits;
        this.budgets = budgets;
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
            budgets.admit(key.id(), key.budget());
        } catch (ApiException limited) {
            ErrorResponses.write(response, json, limited);
            return;
        }
        TokenMeter meter = new TokenMeter();
        ScopedValue.Carrier scope = ScopedValue.where(TokenMeter.CURRENT, meter);
        if (key.ceiling().limits()) {
            scope = scope.where(RoutingCeiling.CURRENT, key.ceiling());
        }
        try {
            scope.call(() -> {
                chain.doFilter(request, response);
                return null;
            });
        } catch (IOException | ServletException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        } finally {
            limits.charge(key, meter.tokens());
            budgets.charge(key.id(), key.budget(), meter.nanoUsd());
        }
    }
}
