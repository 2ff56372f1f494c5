package io.slipway.api.web;

import io.slipway.api.identity.Caller;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.Authenticate;
import io.slipway.api.accounts.IdentifyByToken;
import io.slipway.api.accounts.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every Platform API call is authenticated here, then counted against the account's rate limit.
 * Accepted: {@code Authorization: Bearer <token>}, or Basic with the token as password (what git and curl
 * {@code -u :token} send). Basic email:password is accepted only to create an authorization
 * ({@code heroku login -i}), and those attempts are throttled per account and per source address
 * ({@link LoginThrottle}: {@code 429 rate_limit}, even for the right password). Requests on the internal listener
 * (the platform's own components) have their own rules ({@link InternalAuthFilter}); {@code /health} and
 * {@link PublicPaths} need no credentials. Skipping by path here is safe: a skipped path that Spring matches to
 * another handler finds no {@link Caller} and is refused.
 */
@Component
@Order(20)
public class AuthFilter extends OncePerRequestFilter {
    private final Authenticate authenticate;
    private final IdentifyByToken identifyByToken;
    private final RateLimiter rateLimiter;
    private final LoginThrottle loginThrottle;
    private final ErrorWriter errors;

    private final InternalListener internalListener;

    public AuthFilter(Authenticate authenticate, IdentifyByToken identifyByToken, RateLimiter rateLimiter, LoginThrottle loginThrottle,
                      ErrorWriter errors, InternalListener internalListener) {
        this.internalListener = internalListener;
        this.authenticate = authenticate;
        this.identifyByToken = identifyByToken;
        this.rateLimiter = rateLimiter;
        this.loginThrottle = loginThrottle;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (internalListener.arrivedOn(request)) return true;
        String path = request.getRequestURI();
        return path.equals("/health") || PublicPaths.isPublic(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller;
        try {
            caller = identify(request);
        } catch (LoginThrottled e) {
            response.setHeader("Retry-After", String.valueOf(e.retryAfterSeconds));
            errors.write(response, ApiErrors.loginThrottled(e.retryAfterSeconds));
            return;
        }
        if (caller.isEmpty()) {
            errors.write(response, ApiErrors.unauthorized());
            return;
        }
        long remaining = rateLimiter.take(caller.get().accountId());
        response.setHeader("RateLimit-Remaining", String.valueOf(Math.max(remaining, 0)));
        if (remaining < 0) {
            errors.write(response, ApiErrors.rateLimited());
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }

    private Optional<Caller> identify(HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null) return Optional.empty();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return byToken(header.substring(7).trim());
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) return Optional.empty();
            String user = decoded.substring(0, colon);
            String secret = decoded.substring(colon + 1);
            Optional<Caller> byToken = byToken(secret);
            if (byToken.isPresent()) return byToken;
            if (isLogin(request)) return byPassword(request, user, secret);
        }
        return Optional.empty();
    }

    /** Counted before the hash is computed, so a throttled caller costs no hash and learns nothing. */
    private Optional<Caller> byPassword(HttpServletRequest request, String email, String password) {
        LoginThrottle.Attempt attempt = loginThrottle.attempt(email, request.getRemoteAddr());
        if (attempt.throttled()) throw new LoginThrottled(attempt.retryAfter().toSeconds());
        Optional<Caller> caller = authenticate.byPassword(email, password).map(a -> caller(a, null));
        if (caller.isPresent()) loginThrottle.succeeded(attempt);
        return caller;
    }

    private static final class LoginThrottled extends RuntimeException {
        final long retryAfterSeconds;

        LoginThrottled(long retryAfterSeconds) {
            super(null, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private Optional<Caller> byToken(String token) {
        return identifyByToken.byToken(token).map(i -> new Caller(i.accountId(), i.email(), i.admin(), i.authorizationId()));
    }

    private static Caller caller(Account a, java.util.UUID authorizationId) {
        return new Caller(a.id(), a.email(), a.admin(), authorizationId);
    }

    /** {@code heroku login -i}: POST /oauth/authorizations with Basic email:password. */
    private static boolean isLogin(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && request.getRequestURI().equals("/oauth/authorizations");
    }
}
