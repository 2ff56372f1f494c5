package io.slipway.api.logs;

import io.slipway.api.logs.drains.LogDrainForwarder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The platform's own lines in an app's log, {@code app[api]: Release v5 created by user a@b.c}, written by the
 * use cases. Inside a transaction the lines are stored just before it commits (so a change that rolls back
 * leaves no line behind) and go to the drains after it committed; outside one they are stored at once.
 */
@Component
public class AppLog {
    public static final String API_DYNO = "api";
    private final LogLines lines;
    private final IngestLogs ingest;
    private final LogDrainForwarder drains;
    private final EntityManagerFactory entityManagerFactory;

    public AppLog(LogLines lines, IngestLogs ingest, LogDrainForwarder drains, EntityManagerFactory entityManagerFactory) {
        this.lines = lines;
        this.ingest = ingest;
        this.drains = drains;
        this.entityManagerFactory = entityManagerFactory;
    }

    /** {@code app[api]: <message>}; {@code "... by user " + email} is the caller's job (see {@link #byUser}). */
    public void api(UUID appId, String message) {
        LogLine line = new LogLine(appId, 0, Instant.now(), LogLine.SOURCE_APP, API_DYNO, message);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            batch().lines.add(ingest.clean(line));
        } else {
            ingest.ingest(List.of(line));
        }
    }

    /** Heroku's suffix naming who did it: {@code Set FOO config vars by user a@b.c}. */
    public static String byUser(String what, String email) {
        return email == null || email.isBlank() ? what : what + " by user " + email;
    }

    private Batch batch() {
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Batch b && b.owner == this) return b;
        }
        Batch b = new Batch(this);
        TransactionSynchronizationManager.registerSynchronization(b);
        return b;
    }

    private static final class Batch implements TransactionSynchronization {
        private final AppLog owner;
        private final List<LogLine> lines = new ArrayList<>();
        private List<LogLine> stored = List.of();

        Batch(AppLog owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            // entity changes first: while LogLines holds its ordering lock this transaction takes no more row
            // locks, so it cannot deadlock with a transaction waiting for that lock (as EventLog does)
            EntityManager em = EntityManagerFactoryUtils.getTransactionalEntityManager(owner.entityManagerFactory);
            if (em != null) em.flush();
            stored = owner.lines.append(lines);
        }

        @Override
        public void afterCommit() {
            owner.drains.forward(stored);
        }

        @Override
        public int getOrder() {
            // before the EventLog's batch (LOWEST_PRECEDENCE), so its advisory lock is taken last
            return LOWEST_PRECEDENCE - 1;
        }
    }
}
