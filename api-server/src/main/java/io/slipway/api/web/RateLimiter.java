package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * One token bucket per account: {@code rateLimitPerHour} tokens, refilled continuously over an hour, one
 * taken per API call. Kept in memory, so with several api-server replicas each replica counts on its own
 * (a user behind a balancer gets up to N times the limit; documented in docs/operators.md).
 */
@Component
public class RateLimiter {
    private final double capacity;
    private final double refillPerNano;
    private final ConcurrentHashMap<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(ApiServerConfig config) {
        this.capacity = config.rateLimitPerHour();
        this.refillPerNano = capacity / 3_600_000_000_000d;
    }

    /** Takes one token; returns what remains, or -1 when the bucket was empty and the call must be refused. */
    public long take(UUID accountId) {
        return buckets.computeIfAbsent(accountId, id -> new Bucket(capacity, System.nanoTime())).take();
    }

    private final class Bucket {
        private double tokens;
        private long updatedAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedAt = now;
        }

        synchronized long take() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - updatedAt) * refillPerNano);
            updatedAt = now;
            if (tokens < 1) return -1;
            tokens -= 1;
            return (long) Math.floor(tokens);
        }
    }
}
