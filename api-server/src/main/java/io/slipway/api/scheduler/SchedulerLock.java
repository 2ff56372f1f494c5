package io.slipway.api.scheduler;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A transaction-scoped PostgreSQL advisory lock around every change to where dynos run (scheduling, agent
 * state reports, restarts, lost-agent sweeps): across all api-server replicas only one such transaction runs
 * at a time, so two replicas never place the same dyno twice. Taken first in the transaction, before any row
 * lock and before {@code EventLog}'s commit-order lock, so the lock order is always the same.
 */
@Component
public class SchedulerLock {
    /** "dynos" in ASCII. */
    static final long KEY = 0x64796e6f73L;
    private final JdbcTemplate jdbc;

    public SchedulerLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Blocks until held; released when the current transaction ends. Re-entrant within a transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void hold() {
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, KEY);
    }
}
