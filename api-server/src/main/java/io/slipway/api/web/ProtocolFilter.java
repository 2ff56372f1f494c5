package io.slipway.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Heroku protocol details that hold for every response: a fresh {@code Request-Id}, and the API version
 * from {@code Accept}. {@code version=3} and its variants ({@code 3.sdk}, {@code 3.run-inside}...) are
 * served; a request without a Heroku media type is treated as version 3 so plain curl works; any other
 * explicit version is refused.
 */
@Component
@Order(0)
public class ProtocolFilter extends OncePerRequestFilter {
    private static final Pattern VERSION = Pattern.compile("application/vnd\\.heroku\\+json\\s*;\\s*version=([^,;\\s]+)");
    /** What the heroku CLI and most clients send: served without running the pattern. */
    private static final String CLI_ACCEPT = "application/vnd.heroku+json; version=3";
    private final ErrorWriter errors;

    public ProtocolFilter(ErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Request-Id", requestId());
        String accept = request.getHeader("Accept");
        if (accept != null && !accept.equals(CLI_ACCEPT)) {
            Matcher m = VERSION.matcher(accept);
            if (m.find() && !(m.group(1).equals("3") || m.group(1).startsWith("3."))) {
                errors.write(response, ApiErrors.unsupportedVersion(accept));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * A random (version 4) UUID from the thread's own generator. The id only ties a response to log lines, so it
     * needs to be unique, not secret; {@code UUID.randomUUID()} draws on the shared {@code SecureRandom} on every
     * call (1.3 % of a {@code GET /apps/{app}}'s CPU in issue 13's profile).
     */
    static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
