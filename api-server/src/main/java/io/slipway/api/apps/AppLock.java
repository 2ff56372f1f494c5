package io.slipway.api.apps;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Serializes read-modify-write changes to one app (config vars, rollbacks, scaling): the app row is re-read
 * with {@code SELECT ... FOR UPDATE}, so two concurrent {@code config:set} calls cannot both start from the
 * same old config and lose one of the changes. The lock is held until the caller's transaction ends.
 */
@Component
public class AppLock {
    private final EntityManager entityManager;

    public AppLock(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** {@code app} must be managed in the current transaction (as {@link AppAccess} returns it). */
    @Transactional(propagation = Propagation.MANDATORY)
    public App lock(App app) {
        entityManager.refresh(app, LockModeType.PESSIMISTIC_WRITE);
        return app;
    }
}
