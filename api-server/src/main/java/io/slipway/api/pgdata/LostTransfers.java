package io.slipway.api.pgdata;

import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A transfer runs in the api-server that took the request; if that replica stops half-way, nobody finishes it. A
 * transfer not updated for longer than any transfer may run ({@link #STALE}: the tools' 6 hours plus the
 * download or upload) is marked failed, so the CLI's poll ends and {@code pg:backups} tells the truth. Any
 * replica may run this at any time: it is one idempotent UPDATE.
 */
@Component
public class LostTransfers {
    static final Duration STALE = Duration.ofHours(8);
    private final JdbcTemplate jdbc;

    public LostTransfers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "10m", initialDelayString = "1m")
    public void scheduled() {
        failStale(Instant.now());
    }

    /** Marks the transfers stale at {@code now} failed; answers how many. */
    public int failStale(Instant now) {
        Instant before = now.minus(STALE);
        return jdbc.update("UPDATE pg_transfers SET state = 'failed', finished_at = ?, updated_at = ?, "
                        + "logs = logs || ? WHERE state IN ('pending', 'running') AND updated_at < ?",
                java.sql.Timestamp.from(now), java.sql.Timestamp.from(now),
                now + " failed: the api-server running it stopped\n", java.sql.Timestamp.from(before));
    }
}
