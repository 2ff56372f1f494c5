package io.slipway.api.releases;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppLock;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.identity.Caller;
import io.slipway.api.releases.phase.ReleasePhaseCommand;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /apps/{app}/releases} with neither {@code slug} nor {@code release}: a new release of the newest
 * release's artifact (its slug or its image) with the app's current config vars, so its release phase runs
 * again. This is what {@code heroku releases:retry} asks for on an image release: it sends the newest release's
 * {@code slug.id}, which an image release has not, so the request carries only a description. The newest
 * release, whatever its status, is the one the CLI names ({@code Retry of vN}). The artifact comes from the app's
 * own release, so no other app's slug or image can be named this way. As for a deploy, a release with a release
 * phase leaves the formation alone until it goes live; one without follows its artifact at once.
 */
@Service
public class RetryRelease {
    private final AppAccess access;
    private final AppLock appLock;
    private final ReleaseRepository releases;
    private final ReleasePhaseCommand phaseCommand;
    private final FollowArtifact followArtifact;
    private final CreateRelease createRelease;

    public RetryRelease(AppAccess access, AppLock appLock, ReleaseRepository releases, ReleasePhaseCommand phaseCommand,
                        FollowArtifact followArtifact, CreateRelease createRelease) {
        this.access = access;
        this.appLock = appLock;
        this.releases = releases;
        this.phaseCommand = phaseCommand;
        this.followArtifact = followArtifact;
        this.createRelease = createRelease;
    }

    /** {@code description} null or blank: {@code Retry of vN}. */
    @Transactional
    public Release retry(Caller caller, String appIdentity, String description) {
        App app = appLock.lock(access.visible(caller, appIdentity));
        Release newest = releases.findFirstByAppIdOrderByVersionDesc(app.id())
                .filter(r -> r.artifact().present())
                .orElseThrow(() -> new InvalidInput("Missing required param `slug` (or `release` to roll back): "
                        + app.name() + " has no release with code to release again yet."));
        Artifact artifact = newest.artifact();
        if (phaseCommand.of(app.id(), artifact).isEmpty()) followArtifact.follow(app, artifact);
        String text = description == null || description.isBlank() ? "Retry of v" + newest.version() : description;
        return createRelease.create(app, text, artifact, caller.accountId());
    }
}
