package io.slipway.api.gitaccess;


import io.slipway.api.errors.InvalidInput;
import jakarta.persistence.EntityManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends a push: frees the app's push lock if this holder still has it. A lock that expired and was taken over
 * by another push is left alone, so a slow gateway can never release a lock it no longer owns. Idempotent.
 */
@Service
public class ReleasePushLock {
    private final GitApps apps;
    private final EntityManager entityManager;

    public ReleasePushLock(GitApps apps, EntityManager entityManager) {
        this.apps = apps;
        this.entityManager = entityManager;
    }

    @Transactional
    public void release(String appName, String holder) {
        if (holder == null || holder.isBlank()) throw new InvalidInput("Missing required param `holder`.");
        apps.find(appName).ifPresent(app -> entityManager
                .createNativeQuery("DELETE FROM push_locks WHERE app_id = ?1 AND holder = ?2")
                .setParameter(1, app.id())
                .setParameter(2, holder)
                .executeUpdate());
    }
}
