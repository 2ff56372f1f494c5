package io.slipway.api.releases;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppLock;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku rollback [vN]}: a NEW release that runs the target's slug (or image) with the target's config vars
 * (releases are immutable; history only grows). The app's current config becomes the target's snapshot too,
 * so the next {@code config:set} builds on what runs. Rolling back to the current release is allowed, as on
 * Heroku: it just re-releases it. The formation follows the target's process types ({@link FollowArtifact}).
 */
@Service
public class RollbackRelease {
    private final AppAccess access;
    private final AppLock appLock;
    private final FindRelease findRelease;
    private final CreateRelease createRelease;
    private final FollowArtifact followArtifact;

    public RollbackRelease(AppAccess access, AppLock appLock, FindRelease findRelease, CreateRelease createRelease,
                           FollowArtifact followArtifact) {
        this.access = access;
        this.appLock = appLock;
        this.findRelease = findRelease;
        this.createRelease = createRelease;
        this.followArtifact = followArtifact;
    }

    /** {@code description} overrides Heroku's {@code Rollback to vN} when a client sends one (the CLI does not). */
    @Transactional
    public Release rollback(Caller caller, String appIdentity, String targetIdentity, String description) {
        App app = appLock.lock(access.visible(caller, appIdentity));
        Release target = findRelease.of(app, targetIdentity);
        if (!target.eligibleForRollback()) {
            throw new InvalidInput("Release v" + target.version() + " is not eligible for rollback: it did not succeed.");
        }
        app.replaceConfigVars(target.configVars());
        followArtifact.follow(app, target.artifact());
        String text = description == null || description.isBlank() ? "Rollback to v" + target.version() : description;
        return createRelease.create(app, text, target.artifact(), target.configVars(), caller.accountId());
    }
}
