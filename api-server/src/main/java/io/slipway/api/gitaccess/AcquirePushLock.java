package io.slipway.api.gitaccess;

import io.slipway.api.errors.Conflict;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;

import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes an app's push lock for a git-gateway push, so two pushes to one app never restore, change and write
 * back its repository at the same time, even on different gateway nodes. One atomic upsert decides: the lock is
 * free, expired (its holder died; taken over), or already this holder's (renewed, which is how a push that
 * outlives the TTL keeps it). Otherwise the caller gets a 409 it can show to the user as is.
 */
@Service
public class AcquirePushLock {
    public static final int MAX_TTL_SECONDS = 3600;
    static final int MAX_HOLDER_LENGTH = 200;
    private final GitApps apps;
    private final EntityManager entityManager;

    public AcquirePushLock(GitApps apps, EntityManager entityManager) {
        this.apps = apps;
        this.entityManager = entityManager;
    }

    @Transactional
    public PushLock acquire(String appName, String holder, int ttlSeconds) {
        if (holder == null || holder.isBlank() || holder.length() > MAX_HOLDER_LENGTH) {
            throw new InvalidInput("`holder` must be 1 to " + MAX_HOLDER_LENGTH + " characters long.");
        }
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new InvalidInput("`ttl_seconds` must be between 1 and " + MAX_TTL_SECONDS + ".");
        }
        App app = apps.find(appName).orElseThrow(() -> new NotFound("app", appName));
        // Database time on both sides of the comparison: gateway and api-server clocks need not agree.
        @SuppressWarnings("unchecked")
        List<Object> expires = entityManager.createNativeQuery("""
                INSERT INTO push_locks (app_id, holder, expires_at, acquired_at)
                VALUES (?1, ?2, now() + make_interval(secs => ?3), now())
                ON CONFLICT (app_id) DO UPDATE
                   SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
                       acquired_at = CASE WHEN push_locks.holder = EXCLUDED.holder
                                          THEN push_locks.acquired_at ELSE EXCLUDED.acquired_at END
                 WHERE push_locks.holder = EXCLUDED.holder OR push_locks.expires_at <= now()
                RETURNING expires_at""")
                .setParameter(1, app.id())
                .setParameter(2, holder)
                .setParameter(3, (double) ttlSeconds)
                .getResultList();
        if (expires.isEmpty()) {
            throw new Conflict("app", "Another push to " + app.name()
                    + " is in progress; try again when it finishes.");
        }
        return new PushLock(app.id(), holder, toInstant(expires.get(0)));
    }

    private static java.time.Instant toInstant(Object value) {
        if (value instanceof java.time.Instant i) return i;
        if (value instanceof java.time.OffsetDateTime o) return o.toInstant();
        if (value instanceof Timestamp t) return t.toInstant();
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
