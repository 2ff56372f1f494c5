package io.slipway.api.events;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.EntityManagerFactoryUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to the ordered {@code events} table inside the caller's transaction, so an event exists if and
 * only if its change committed. {@code pg_notify} is transactional too: followers on every api-server
 * replica are woken when (and only when) the change commits.
 *
 * <p>Why the rows are written at commit time: followers read {@code seq > last seen}. If two transactions
 * took seqs 10 and 11 and 11 committed first, a follower could read 11, move its cursor past 10 and never
 * see 10. So events are buffered during the transaction and written just before it commits, under a
 * transaction-scoped advisory lock held until the commit: seqs are then handed out in commit order, and
 * every event with a lower seq is already visible when a follower sees a higher one (gaps only come from
 * transactions that failed to commit, and those never fill in). The entity changes are flushed before the
 * lock is taken, so a transaction holding the lock takes no further row locks and cannot deadlock with
 * one waiting for it.
 */
@Component
public class EventLog {
    public static final String CHANNEL = "slipway_events";
    /** Key of the advisory lock that orders event commits across all api-server replicas ("slipway" in ASCII). */
    static final long COMMIT_ORDER_LOCK = 0x736c6970776179L;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;
    private final EntityManagerFactory entityManagerFactory;

    public EventLog(JdbcTemplate jdbc, EntityManagerFactory entityManagerFactory) {
        this.jdbc = jdbc;
        this.entityManagerFactory = entityManagerFactory;
    }

    /**
     * Records an event of the current transaction; it is written (and its seq assigned) when the transaction
     * commits, after any event appended before it in the same transaction.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(String type, UUID appId, String appName, Map<String, ?> payload) {
        // Serialised now: the caller may change its map after this call.
        batch().events.add(new Pending(type, appId, appName, JSON.writeValueAsString(payload)));
    }

    private Batch batch() {
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Batch b && b.owner == this) return b;
        }
        Batch b = new Batch(this);
        TransactionSynchronizationManager.registerSynchronization(b);
        return b;
    }

    private void write(List<Pending> events) {
        if (events.isEmpty()) return;
        EntityManager em = EntityManagerFactoryUtils.getTransactionalEntityManager(entityManagerFactory);
        if (em != null) em.flush();
        if (events.size() == 1) {
            // the common case in one round trip, not three: this transaction holds the commit-order lock from
            // here to its commit, so every statement saved here is saved for every other writer waiting for it
            Pending e = events.get(0);
            jdbc.queryForObject(ONE_EVENT, (rs, i) -> rs.getLong(1),
                    COMMIT_ORDER_LOCK, e.type(), e.appId(), e.appName(), e.payload(), CHANNEL);
            return;
        }
        jdbc.queryForObject("SELECT pg_advisory_xact_lock(?)", Object.class, COMMIT_ORDER_LOCK);
        long last = 0;
        for (Pending e : events) {
            last = jdbc.queryForObject(
                    "INSERT INTO events (type, app_id, app_name, payload) VALUES (?, ?, ?, ?) RETURNING seq",
                    Long.class, e.type(), e.appId(), e.appName(), e.payload());
        }
        // One notification per transaction is enough: a woken follower reads everything after its cursor.
        jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, CHANNEL, String.valueOf(last));
    }

    /** Lock, insert and notify as one statement: the insert reads from the lock's row, so its seq comes after it. */
    private static final String ONE_EVENT = "WITH ordered AS MATERIALIZED (SELECT pg_advisory_xact_lock(?)), "
            + "ins AS (INSERT INTO events (type, app_id, app_name, payload) SELECT ?::text, ?::uuid, ?::text, ?::text FROM ordered RETURNING seq) "
            + "SELECT seq, pg_notify(?, seq::text) FROM ins";

    private record Pending(String type, UUID appId, String appName, String payload) {}

    /** The events of one transaction, written by {@link #beforeCommit}. */
    private static final class Batch implements TransactionSynchronization {
        private final EventLog owner;
        private final List<Pending> events = new ArrayList<>();

        Batch(EventLog owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            owner.write(events);
        }

        @Override
        public int getOrder() {
            // After other synchronizations that might still change entities before the commit.
            return LOWEST_PRECEDENCE;
        }
    }
}
