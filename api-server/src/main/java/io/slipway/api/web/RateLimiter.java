package io.slipway.api.web;

import io.slipway.api.ApiServerConfig;
import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * One token bucket per account: {@code rateLimitPerHour} tokens, refilled continuously over an hour, one
 * taken per API call. The bucket lives in PostgreSQL ({@code rate_limit_buckets}), so every api-server replica
 * takes from the same one: a user behind a balancer gets the limit once, not once per replica.
 *
 * <p>Why leases: one upsert per call made every call of an account wait for that row's lock (50 clients of one
 * account queued on it) and cost a round trip per request. A replica now takes a <em>lease</em> of tokens from
 * the shared row in one statement and spends it in memory. Tokens are debited from the shared row before
 * they are spent, so the replicas together never accept more calls than the bucket holds: <b>no overshoot</b>.
 * The price is the other way round: tokens leased to a replica and not yet spent are unavailable to the
 * others, at most {@link #leaseMax} per replica, for as long as that replica keeps calling or until it returns
 * them (a lease unused for {@link #IDLE_RETURN_MS} goes back to the row; a replica that dies loses its lease,
 * which the hourly refill replaces). A lease starts at one token and doubles while the account keeps calling, so
 * an occasional caller still sees the exact count across replicas and a busy one costs one statement per
 * {@link #leaseMax} calls. Timed by the database's clock, so the replicas' clocks do not matter.
 *
 * <p>{@code RateLimit-Remaining} is the shared row's level when this replica last leased plus what is left of
 * its lease: exact with one replica, at most the other replicas' unspent leases too low with several.
 */
@Component
public class RateLimiter {
    /** A lease not spent from for this long is given back, so another replica can use those tokens. */
    static final long IDLE_RETURN_MS = 1000;
    static final long SHUTDOWN_RETURN_MS = 2000;
    /** A lease that ran out sooner than this after it was taken is followed by a lease twice as big. */
    private static final long GROW_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** When the bucket is empty, this replica refuses without asking again until a token has refilled, at most this long. */
    private static final long MAX_REFUSE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The bucket's level now, refilled since its last change (in the database's time), capped at capacity. */
    private static final String REFILLED =
            "least(?, b.tokens + extract(epoch FROM now() - b.updated_at) * ?)";
    /** Grants the whole lease or nothing ({@code refused}); either way returns the row's level after it. */
    private static final String LEASE = "INSERT INTO rate_limit_buckets AS b (account_id, tokens, refused, updated_at) "
            + "VALUES (?, ?, false, now()) ON CONFLICT (account_id) DO UPDATE SET "
            + "tokens = CASE WHEN " + REFILLED + " >= ? THEN " + REFILLED + " - ? ELSE " + REFILLED + " END, "
            + "refused = " + REFILLED + " < ?, updated_at = now() "
            + "RETURNING tokens, refused";
    private static final String GIVE_BACK = "UPDATE rate_limit_buckets AS b SET tokens = least(?, " + REFILLED + " + ?), "
            + "updated_at = now() WHERE account_id = ?";

    private final double capacity;
    private final double refillPerSecond;
    /** Largest lease: about 1.5 % of the hourly budget (70 tokens of Heroku's 4,500), at most 128. */
    private final long leaseMax;
    private final JdbcTemplate jdbc;
    private final Map<UUID, Lease> leases = new ConcurrentHashMap<>();

    public RateLimiter(ApiServerConfig config, JdbcTemplate jdbc) {
        this.capacity = config.rateLimitPerHour();
        this.refillPerSecond = capacity / 3600d;
        this.leaseMax = Math.max(1, Math.min(128, config.rateLimitPerHour() / 64));
        this.jdbc = jdbc;
    }

    /** The tokens this replica holds for one account; guarded by its own monitor. */
    private static final class Lease {
        long left;
        /** The shared row's level after the last lease was taken. */
        double shared;
        long size;
        long takenAt;
        long lastUsed;
        /** Set while the bucket was found empty, until {@link #refusedUntil} (System.nanoTime can be any long). */
        boolean refusing;
        long refusedUntil;
        boolean retired;
    }

    /** Takes one token; returns what remains, or -1 when the bucket was empty and the call must be refused. */
    public long take(UUID accountId) {
        while (true) {
            Lease lease = leases.computeIfAbsent(accountId, id -> new Lease());
            synchronized (lease) {
                if (lease.retired) continue; // given back meanwhile: start a new one
                long now = System.nanoTime();
                lease.lastUsed = now;
                if (lease.left == 0 && !renew(accountId, lease, now)) return -1;
                lease.left--;
                return (long) Math.floor(lease.shared) + lease.left;
            }
        }
    }

    /** Asks the shared row for a new lease; false when the bucket has not even one token. */
    private boolean renew(UUID accountId, Lease lease, long now) {
        if (lease.refusing && now - lease.refusedUntil < 0) return false;
        lease.refusing = false;
        long want = lease.size == 0 || now - lease.takenAt > GROW_WITHIN_NANOS ? 1 : Math.min(leaseMax, lease.size * 2);
        while (true) {
            Grant g = lease(accountId, want);
            lease.shared = g.level;
            if (!g.refused) {
                lease.left = want;
                lease.size = want;
                lease.takenAt = now;
                return true;
            }
            if (g.level < 1) {
                lease.size = 0;
                lease.refusing = true;
                long untilOneToken = (long) ((1 - g.level) / refillPerSecond * 1e9);
                lease.refusedUntil = now + Math.min(MAX_REFUSE_NANOS, untilOneToken);
                return false;
            }
            want = (long) Math.floor(g.level); // fewer left than asked for: take what there is
        }
    }

    private record Grant(double level, boolean refused) {}

    private Grant lease(UUID accountId, long want) {
        return jdbc.queryForObject(LEASE, (rs, i) -> new Grant(rs.getDouble("tokens"), rs.getBoolean("refused")),
                accountId, capacity - want,
                capacity, refillPerSecond, want, capacity, refillPerSecond, want, capacity, refillPerSecond,
                capacity, refillPerSecond, want);
    }

    /** Gives idle leases back to the shared row, so the other replicas can spend those tokens. */
    @Scheduled(fixedDelay = IDLE_RETURN_MS / 2, initialDelay = IDLE_RETURN_MS)
    public void returnIdleLeases() {
        long now = System.nanoTime();
        giveBackWhere(lease -> now - lease.lastUsed >= TimeUnit.MILLISECONDS.toNanos(IDLE_RETURN_MS));
    }

    /**
     * A stopping replica's unspent tokens go back to the bucket, for at most {@link #SHUTDOWN_RETURN_MS}: when the
     * database is already gone each give-back would wait for the pool's connection timeout (30 s), holding up the
     * stop. Tokens not given back are lost to this hour's budget only (fewer calls, never more).
     */
    @PreDestroy
    public void returnAllLeases() throws InterruptedException {
        Thread returning = new Thread(() -> giveBackWhere(lease -> true), "rate-limit-leases-back");
        returning.setDaemon(true);
        returning.start();
        returning.join(SHUTDOWN_RETURN_MS);
    }

    /** Gives back each lease that {@code due} picks, under the lease's own monitor. */
    private void giveBackWhere(Predicate<Lease> due) {
        for (var e : leases.entrySet()) {
            Lease lease = e.getValue();
            synchronized (lease) {
                if (due.test(lease)) giveBack(e.getKey(), lease);
            }
        }
    }

    private void giveBack(UUID accountId, Lease lease) {
        lease.retired = true;
        leases.remove(accountId, lease);
        if (lease.left == 0) return;
        try {
            jdbc.update(GIVE_BACK, capacity, capacity, refillPerSecond, lease.left, accountId);
        } catch (RuntimeException e) {
            // the tokens are lost to this hour's budget (the refill replaces them): fewer calls, never more
        }
        lease.left = 0;
    }
}
