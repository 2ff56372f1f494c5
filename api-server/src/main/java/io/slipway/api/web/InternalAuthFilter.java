package io.slipway.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request on the internal listener ({@link InternalListener}), whatever its path, must carry a component's
 * token ({@code Authorization: Bearer <token>}, see {@link ComponentTokens}); anything else, a user's API key
 * included, is {@code 401}. Which endpoints the token's role may call is decided per handler by
 * {@link ListenerGuard}. Requests on the public listener are {@link AuthFilter}'s. No component trusts the network.
 */
@Component
@Order(10)
public class InternalAuthFilter extends OncePerRequestFilter {
    private final ComponentTokens tokens;
    private final InternalListener listener;
    private final ErrorWriter errors;

    public InternalAuthFilter(ComponentTokens tokens, InternalListener listener, ErrorWriter errors) {
        this.tokens = tokens;
        this.listener = listener;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !listener.arrivedOn(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        Optional<InternalCaller> caller = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? tokens.identify(header.substring(7).trim()) : Optional.empty();
        if (caller.isEmpty()) {
            errors.write(response, ApiErrors.unauthorized());
            return;
        }
        request.setAttribute(InternalCaller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
