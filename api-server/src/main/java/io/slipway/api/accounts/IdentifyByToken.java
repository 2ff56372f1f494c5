package io.slipway.api.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.slipway.api.events.EventNotifications;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Who is behind an API token, asked first by every Platform API call: one plain SQL query in autocommit, no
 * Hibernate session and no transaction. Through JPA (query, hydration of two entities, a read-only transaction)
 * this lookup was about a tenth of a {@code GET /apps/{app}}'s CPU in the profile of issue 13. Same answer as
 * {@link Authenticate#byToken}, which callers needing the entities (git access) keep using.
 *
 * <p>A token found is remembered for {@link #REMEMBERED} (by its hash, with its expiry, which is checked on every
 * use), so a client's burst of calls costs one query a second instead of one per call (issue 13: the query was
 * half of PostgreSQL's work under {@code GET /apps/{app}}). A revoked token must not live out that second on any
 * replica: the replica revoking forgets everything when it commits ({@link #forgetAll}), every other replica when
 * the revocation's {@code NOTIFY} reaches it over the process's one listening connection, and the revocation
 * answers its client only once they have ({@link TokenRevocations}). While that connection is down nothing is
 * remembered nor trusted (a notification could be missed unseen), and everything is forgotten when it listens
 * again. What is left, in docs/security.md: a row changed by hand in the database, which notifies nobody, is seen
 * within {@link #REMEMBERED}. Unknown tokens are never remembered, so guessing fills nothing, and at most
 * {@link #MAX_REMEMBERED} tokens are held.
 */
@Service
public class IdentifyByToken {
    /** The caller behind a valid token. */
    public record Identity(UUID accountId, String email, boolean admin, UUID authorizationId) {}

    private record Row(Identity identity, Instant expiresAt) {}

    private static final String SQL = "SELECT a.id, a.expires_at, acc.id AS account_id, acc.email, acc.admin "
            + "FROM oauth_authorizations a JOIN accounts acc ON acc.id = a.account_id WHERE a.token_hash = ?";
    private static final RowMapper<Row> ROW = (rs, i) -> {
        OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
        return new Row(new Identity(rs.getObject("account_id", UUID.class), rs.getString("email"),
                rs.getBoolean("admin"), rs.getObject("id", UUID.class)), expires == null ? null : expires.toInstant());
    };
    static final Duration REMEMBERED = Duration.ofSeconds(1);
    static final int MAX_REMEMBERED = 10_000;

    private final JdbcTemplate jdbc;
    private final EventNotifications notifications;
    private final Cache<String, Row> remembered = Caffeine.newBuilder()
            .expireAfterWrite(REMEMBERED).maximumSize(MAX_REMEMBERED).build();
    /** Counts {@link #forgetNow}s, so a row read before one is not remembered after it (see {@link #remember}). */
    private final AtomicLong forgets = new AtomicLong();

    public IdentifyByToken(JdbcTemplate jdbc, EventNotifications notifications) {
        this.jdbc = jdbc;
        this.notifications = notifications;
    }

    /** Empty for unknown or expired tokens. */
    public Optional<Identity> byToken(String token) {
        if (token == null || token.isBlank() || token.length() > 512) return Optional.empty();
        String hash = ApiTokens.hash(token.trim());
        Instant now = Instant.now();
        boolean trusted = notifications.isListening();
        Row row = trusted ? remembered.getIfPresent(hash) : null;
        if (row == null) {
            long forgetsBefore = forgets.get();
            row = jdbc.query(SQL, ROW, hash).stream()
                    .filter(r -> !OAuthAuthorization.expired(r.expiresAt(), now)).findFirst().orElse(null);
            if (row == null) return Optional.empty();
            if (trusted) remember(hash, row, forgetsBefore);
        }
        return OAuthAuthorization.expired(row.expiresAt(), now) ? Optional.empty() : Optional.of(row.identity());
    }

    /**
     * The row may have been read before a revocation committed and heard of only now: a forget that happened while
     * it was read takes it out again. Put first, then check, so a forget that comes later clears it itself.
     */
    private void remember(String hash, Row row, long forgetsBefore) {
        remembered.put(hash, row);
        if (forgets.get() != forgetsBefore) remembered.invalidate(hash);
    }

    /**
     * Forgets every remembered token once the current transaction commits (at once outside one): a revocation is
     * then seen by this replica's next request. Not before the commit, or a request in between would remember the
     * row the revocation is about to delete. Other replicas hear of it through {@link TokenRevocations#announce}.
     */
    public void forgetAll() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    forgetNow();
                }
            });
        } else {
            forgetNow();
        }
    }

    /** Forgets every remembered token now (a revocation has committed somewhere, or may have unheard). */
    void forgetNow() {
        forgets.incrementAndGet();
        remembered.invalidateAll();
    }
}
