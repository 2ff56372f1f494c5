package io.slipway.api.releases.phase;

import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.SchedulerLock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fails every release whose release phase has run longer than {@code slipway.release-phase.timeout} (and
 * stops its dyno), so that a hung command, a dyno no agent could place, or a lost agent never leaves a deploy
 * waiting forever: the push that waits for it ends, and the app can be deployed again.
 */
@Service
public class SweepReleasePhases {
    private final JdbcTemplate jdbc;
    private final SchedulerLock lock;
    private final RuntimeEvents runtimeEvents;
    private final FinishReleasePhase finish;
    private final Duration timeout;

    public SweepReleasePhases(JdbcTemplate jdbc, SchedulerLock lock, RuntimeEvents runtimeEvents,
                              FinishReleasePhase finish, ReleasePhaseConfig config) {
        this.jdbc = jdbc;
        this.lock = lock;
        this.runtimeEvents = runtimeEvents;
        this.finish = finish;
        this.timeout = config.timeout();
    }

    /** Returns how many releases it failed. */
    @Transactional
    public int sweep() {
        return sweep(Instant.now());
    }

    /** As if it were {@code now} (tests). */
    @Transactional
    public int sweep(Instant now) {
        List<UUID> due = jdbc.queryForList("SELECT id FROM releases WHERE status = 'pending' AND created_at < ? "
                + "ORDER BY created_at LIMIT 100", UUID.class, Timestamp.from(now.minus(timeout)));
        if (due.isEmpty()) return 0;
        lock.hold(); // before any app's row lock, as every holder of both takes them
        RuntimeEvents.Batch events = runtimeEvents.batch();
        for (UUID release : due) finish.finish(release, false, events);
        events.publish();
        return due.size();
    }
}
