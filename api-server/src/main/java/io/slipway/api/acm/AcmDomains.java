package io.slipway.api.acm;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Each custom domain's ACM state ({@code acm_domains}): Heroku's {@code acm_status} and reason, and when the
 * scheduler acts next. Work is claimed with a lease taken under {@code FOR UPDATE SKIP LOCKED}, so with several
 * api-server replicas one orders a given domain at a time and none waits on another's lock; a replica that dies
 * mid-order loses its lease after {@link #LEASE} and another takes the domain over.
 */
@Component
public class AcmDomains {
    public static final String PENDING = "pending";
    public static final String ISSUED = "cert issued";
    public static final String FAILING = "failing";
    public static final String FAILED = "failed";
    /** Consecutive failures after which a domain is {@code failed} (still retried, at the slowest pace). */
    static final int FAILED_AFTER = 5;
    static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private final JdbcTemplate jdbc;

    public AcmDomains(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Status(String status, String reason) {}

    public record Due(UUID domainId, UUID appId, String appName, String hostname, int failures) {}

    /** Custom domains of ACM apps with no state yet (just enabled, or added since) become pending, due now. */
    int adoptNewDomains() {
        return jdbc.update("INSERT INTO acm_domains (domain_id, app_id, status, next_attempt_at, updated_at)"
                + " SELECT d.id, d.app_id, 'pending', now(), now() FROM domains d JOIN apps a ON a.id = d.app_id"
                + " WHERE a.acm AND d.kind = 'custom' AND d.hostname NOT LIKE '*%'"
                + " ON CONFLICT (domain_id) DO NOTHING");
    }

    /** Takes one due domain for this replica, or none. */
    Optional<Due> claim() {
        return jdbc.query("UPDATE acm_domains s SET lease_until = now() + make_interval(secs => ?) FROM domains d, apps a"
                        + " WHERE s.domain_id = (SELECT domain_id FROM acm_domains WHERE next_attempt_at <= now()"
                        + "   AND (lease_until IS NULL OR lease_until < now()) ORDER BY next_attempt_at LIMIT 1"
                        + "   FOR UPDATE SKIP LOCKED)"
                        + " AND d.id = s.domain_id AND a.id = s.app_id AND a.acm"
                        + " RETURNING s.domain_id, s.app_id, a.name, d.hostname, s.failures",
                (rs, i) -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getInt(5)), (double) LEASE.toSeconds()).stream().findFirst();
    }

    void issued(UUID domainId, Instant renewAt) {
        jdbc.update("UPDATE acm_domains SET status = 'cert issued', status_reason = NULL, failures = 0,"
                + " next_attempt_at = ?, lease_until = NULL, updated_at = now() WHERE domain_id = ?",
                Timestamp.from(renewAt), domainId);
    }

    /** Records the failure and plans the retry: the base delay doubling per failure, at most an hour. */
    void failed(Due due, String reason, Duration retryBase) {
        int failures = due.failures() + 1;
        Duration backoff = retryBase.multipliedBy(1L << Math.min(failures - 1, 20));
        if (backoff.compareTo(MAX_BACKOFF) > 0) backoff = MAX_BACKOFF;
        jdbc.update("UPDATE acm_domains SET status = ?, status_reason = ?, failures = ?, next_attempt_at = ?,"
                + " lease_until = NULL, updated_at = now() WHERE domain_id = ?",
                failures >= FAILED_AFTER ? FAILED : FAILING, reason, failures,
                Timestamp.from(Instant.now().plus(backoff)), due.domainId());
    }

    /** certs:auto:refresh: every domain of the app is ordered again now (a renewal for those already issued). */
    int refresh(UUID appId) {
        return jdbc.update("UPDATE acm_domains SET status = CASE WHEN status = 'cert issued' THEN status ELSE 'pending' END,"
                + " failures = 0, next_attempt_at = now(), updated_at = now() WHERE app_id = ?", appId);
    }

    void forget(UUID appId) {
        jdbc.update("DELETE FROM acm_domains WHERE app_id = ?", appId);
    }

    /** Status by domain id, for the domains API. */
    public Map<UUID, Status> statuses(UUID appId) {
        Map<UUID, Status> out = new HashMap<>();
        jdbc.query("SELECT domain_id, status, status_reason FROM acm_domains WHERE app_id = ?", rs -> {
            out.put(rs.getObject(1, UUID.class), new Status(rs.getString(2), rs.getString(3)));
        }, appId);
        return out;
    }
}
