package io.slipway.api.accounts;

import io.slipway.api.events.EventNotifications;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every api-server replica that tokens stopped being valid, so that none goes on accepting one it
 * remembers ({@link IdentifyByToken}), and answers the revocation only once they have forgotten.
 *
 * <p>The revoking transaction sends {@code NOTIFY slipway_token_revocations} with a random nonce; PostgreSQL
 * delivers it only if that transaction commits, to every replica's one listening connection
 * ({@link EventNotifications}). Each replica forgets every token it remembers, then says so with
 * {@code NOTIFY slipway_token_revocations_heard} and the nonce. Delivery alone is not enough: the revoking
 * replica could answer its client, and the client call another replica, before that replica's listener thread
 * ran. So the revoking request waits, after its commit, until as many replicas as were listening when it
 * notified have answered, or {@link IdentifyByToken#REMEMBERED} has passed (by then every replica has forgotten
 * the token anyway: a replica gone quiet delays a revocation, it never lets one through). The payloads carry no
 * id and no hash: any session on the database may listen.
 */
@Component
public class TokenRevocations {
    private static final Logger log = LoggerFactory.getLogger(TokenRevocations.class);
    static final String CHANNEL = "slipway_token_revocations";
    static final String HEARD = "slipway_token_revocations_heard";
    /** Notifies, and counts the replicas listening (one connection each), in one round trip. */
    private static final String NOTIFY = "SELECT pg_notify(?, ?), (SELECT count(*) FROM pg_stat_activity "
            + "WHERE datname = current_database() AND application_name = ?)";
    private final JdbcTemplate jdbc;
    private final IdentifyByToken identifyByToken;
    /** Revocations of this replica waiting to be heard, by nonce. */
    private final Map<String, Semaphore> waiting = new ConcurrentHashMap<>();
    /** Answers are sent off the listener thread, which must never wait for a pooled connection. */
    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slipway-token-revocations");
        t.setDaemon(true);
        return t;
    });

    public TokenRevocations(JdbcTemplate jdbc, IdentifyByToken identifyByToken, EventNotifications notifications) {
        this.jdbc = jdbc;
        this.identifyByToken = identifyByToken;
        // also called, with no nonce, after every (re)connect of the listener: a revocation may have been missed
        notifications.subscribe(CHANNEL, this::heard);
        notifications.subscribe(HEARD, this::answered);
    }

    /**
     * Called by every change that ends a token's validity, inside its transaction: this replica forgets after the
     * commit, the others when the notification sent with the commit reaches them, and the caller's thread returns
     * from the commit once they have (at most {@link IdentifyByToken#REMEMBERED} later).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void announce() {
        String nonce = UUID.randomUUID().toString();
        Semaphore heardBy = new Semaphore(0);
        waiting.put(nonce, heardBy);
        long listeners = jdbc.queryForObject(NOTIFY, (rs, i) -> rs.getLong(2),
                CHANNEL, nonce, EventNotifications.APPLICATION_NAME);
        identifyByToken.forgetAll();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                awaitAnswers(heardBy, listeners);
            }

            @Override
            public void afterCompletion(int status) {
                waiting.remove(nonce);
            }
        });
    }

    private void awaitAnswers(Semaphore heardBy, long listeners) {
        try {
            if (!heardBy.tryAcquire((int) Math.min(listeners, Integer.MAX_VALUE),
                    IdentifyByToken.REMEMBERED.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("a token revocation was not heard by all {} listening replicas within {}; the others "
                        + "forget the token by expiry", listeners, IdentifyByToken.REMEMBERED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On the listener thread: forget first, then answer each revocation heard. */
    private void heard(List<String> nonces) {
        identifyByToken.forgetNow();
        for (String nonce : nonces) {
            if (nonce.length() > 64) continue; // not one of ours
            answers.execute(() -> {
                try {
                    jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, HEARD, nonce);
                } catch (RuntimeException e) {
                    log.warn("could not answer a token revocation ({}); it waits for expiry", e.toString());
                }
            });
        }
    }

    private void answered(List<String> nonces) {
        for (String nonce : nonces) {
            Semaphore s = waiting.get(nonce);
            if (s != null) s.release();
        }
    }

    @PreDestroy
    void stop() {
        answers.shutdownNow();
    }
}
