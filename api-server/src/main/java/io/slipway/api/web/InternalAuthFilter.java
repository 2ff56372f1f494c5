package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /internal/**} is for the platform's own components (router, agents, workers, gateway). They
 * present {@code Authorization: Bearer <SLIPWAY_INTERNAL_TOKEN>}; without a configured token the internal
 * API is closed. No component trusts the network.
 */
@Component
@Order(10)
public class InternalAuthFilter extends OncePerRequestFilter {
    private final byte[] token;
    private final ErrorWriter errors;

    public InternalAuthFilter(ApiServerConfig config, ErrorWriter errors) {
        String t = config.internalToken();
        this.token = t == null || t.isBlank() ? null : ("Bearer " + t).getBytes(StandardCharsets.UTF_8);
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/internal/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (token == null || header == null
                || !MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8))) {
            errors.write(response, ApiErrors.unauthorized());
            return;
        }
        chain.doFilter(request, response);
    }
}
