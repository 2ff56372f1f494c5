package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One token bucket per account: {@code rateLimitPerHour} tokens, refilled continuously over an hour, one
 * taken per API call. The buckets live in PostgreSQL ({@code rate_limit_buckets}), so every api-server
 * replica takes from the same one: a user behind a balancer gets the limit once, not once per replica.
 *
 * <p>Why one statement per request rather than a local allowance reconciled later: it is exact (a local
 * allowance lets each replica overspend by its allowance), and it is cheap: one upsert on a primary key of an
 * UNLOGGED table (no WAL, a HOT update of one row), in its own autocommit, timed by the database's clock so
 * the replicas' clocks do not matter. Only one account's calls wait on each other, for that row's lock.
 */
@Component
public class RateLimiter {
    /** The bucket's level now, refilled since its last call (in the database's time), capped at capacity. */
    private static final String REFILLED =
            "least(?, b.tokens + extract(epoch FROM now() - b.updated_at) * ?)";
    private static final String TAKE = "INSERT INTO rate_limit_buckets AS b (account_id, tokens, refused, updated_at) "
            + "VALUES (?, ?, false, now()) ON CONFLICT (account_id) DO UPDATE SET "
            + "tokens = CASE WHEN " + REFILLED + " >= 1 THEN " + REFILLED + " - 1 ELSE " + REFILLED + " END, "
            + "refused = " + REFILLED + " < 1, updated_at = now() "
            + "RETURNING tokens, refused";

    private final double capacity;
    private final double refillPerSecond;
    private final JdbcTemplate jdbc;

    public RateLimiter(ApiServerConfig config, JdbcTemplate jdbc) {
        this.capacity = config.rateLimitPerHour();
        this.refillPerSecond = capacity / 3600d;
        this.jdbc = jdbc;
    }

    /** Takes one token; returns what remains, or -1 when the bucket was empty and the call must be refused. */
    public long take(UUID accountId) {
        return jdbc.queryForObject(TAKE, (rs, i) -> rs.getBoolean("refused") ? -1L : (long) Math.floor(rs.getDouble("tokens")),
                accountId, capacity - 1,
                capacity, refillPerSecond, capacity, refillPerSecond, capacity, refillPerSecond,
                capacity, refillPerSecond);
    }
}
