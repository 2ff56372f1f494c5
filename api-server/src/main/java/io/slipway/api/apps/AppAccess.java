package io.slipway.api.apps;

import io.slipway.api.errors.Forbidden;
import io.slipway.api.errors.NotFound;
import io.slipway.api.identity.Caller;
import io.slipway.api.identity.Identities;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one gate to an app. An app the caller neither owns nor collaborates on answers exactly like a missing
 * one ({@code not_found}), so names of other users' apps do not leak. Owner-only actions (destroy, transfer)
 * answer {@code forbidden} to collaborators, who can already see the app.
 */
@Component
public class AppAccess {
    private final AppRepository apps;
    private final CollaboratorRepository collaborators;

    public AppAccess(AppRepository apps, CollaboratorRepository collaborators) {
        this.apps = apps;
        this.collaborators = collaborators;
    }

    /** By name or id, as Heroku's {@code app_identity}. */
    @Transactional(readOnly = true)
    public App visible(Caller caller, String identity) {
        App app = find(identity);
        if (app == null || !canUse(caller, app)) throw new NotFound("app", identity);
        return app;
    }

    @Transactional(readOnly = true)
    public App owned(Caller caller, String identity) {
        App app = visible(caller, identity);
        if (!app.ownerId().equals(caller.accountId())) {
            throw new Forbidden("Only the owner of " + app.name() + " can do that.");
        }
        return app;
    }

    /**
     * {@link #visible} with the app's row locked until the caller's transaction ends (see {@link AppLock}), in one
     * query: what {@code visible} and {@code AppLock.lock} do in two reads.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public App visibleLocked(Caller caller, String identity) {
        if (identity == null) throw new NotFound("app", identity);
        UUID id = Identities.uuidOrNull(identity);
        return apps.findVisibleForUpdate(id, id == null ? identity : null, caller.accountId())
                .orElseThrow(() -> new NotFound("app", identity));
    }

    public boolean canUse(Caller caller, App app) {
        return app.ownerId().equals(caller.accountId())
                || collaborators.existsByAppIdAndAccountId(app.id(), caller.accountId());
    }

    private App find(String identity) {
        if (identity == null) return null;
        UUID id = Identities.uuidOrNull(identity);
        return (id != null ? apps.findById(id) : apps.findByName(identity)).orElse(null);
    }

}
