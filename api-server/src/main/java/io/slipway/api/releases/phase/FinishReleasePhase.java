package io.slipway.api.releases.phase;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.logs.AppLog;
import io.slipway.api.releases.CreateRelease;
import io.slipway.api.releases.FollowArtifact;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.scheduler.RetireDynos;
import io.slipway.api.scheduler.RuntimeEvents;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Ends a pending release's release phase, once: its dyno exited 0 → {@code succeeded}, and when no newer
 * release went live meanwhile it becomes the current release (the formation follows its slug's process types,
 * deferred until now so that a failed release changes nothing, then {@code release.created}); anything else
 * (a non-zero exit, a dyno that could not start, the timeout) → {@code failed}, Heroku's
 * {@code Release vN command failed} in the app's log, and the previous release keeps serving. A release-phase
 * dyno still running is retired.
 *
 * <p>Lock order: callers hold the scheduler lock (a dyno state report, the timeout sweep), and the app's row
 * lock is taken after it. Nothing takes them the other way round: {@link StartReleasePhase}, which runs under
 * an app's lock, does not take the scheduler lock.
 */
@Service
public class FinishReleasePhase {
    private final ReleaseRepository releases;
    private final AppRepository apps;
    private final AppLock appLock;
    private final CreateRelease createRelease;
    private final FollowArtifact followArtifact;
    private final DynoRows dynos;
    private final RetireDynos retireDynos;
    private final AppLog appLog;
    private final AccountRepository accounts;
    private final JdbcTemplate jdbc;

    public FinishReleasePhase(ReleaseRepository releases, AppRepository apps, AppLock appLock,
                              CreateRelease createRelease, FollowArtifact followArtifact, DynoRows dynos,
                              RetireDynos retireDynos, AppLog appLog, AccountRepository accounts,
                              JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.releases = releases;
        this.apps = apps;
        this.appLock = appLock;
        this.createRelease = createRelease;
        this.followArtifact = followArtifact;
        this.dynos = dynos;
        this.retireDynos = retireDynos;
        this.appLog = appLog;
        this.accounts = accounts;
    }

    /** Whether a dyno is a release phase (a one-off of type {@code release} the platform started). */
    public static boolean isReleasePhase(DynoRow d) {
        return d.oneOff() && DefineProcessTypes.RELEASE_PHASE.equals(d.type()) && d.releaseId() != null;
    }

    /** In the caller's transaction, which holds the scheduler lock. A release no longer pending is left alone. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void finish(UUID releaseId, boolean succeeded, RuntimeEvents.Batch events) {
        // plain SQL, so the release entity is first loaded (and its status read) under the app's lock: a state
        // report and the timeout sweep may race for the same release
        UUID appId = jdbc.query("SELECT app_id FROM releases WHERE id = ?", (rs, i) -> rs.getObject(1, UUID.class),
                releaseId).stream().findFirst().orElse(null);
        if (appId == null) return;
        App app = apps.findById(appId).orElse(null);
        if (app == null) return;
        appLock.lock(app);
        Release release = releases.findById(releaseId).orElse(null);
        if (release == null || !release.pending()) return;
        release.finishReleasePhase(succeeded);
        releases.saveAndFlush(release);
        for (DynoRow d : dynos.ofApp(appId)) {
            if (isReleasePhase(d) && releaseId.equals(d.releaseId()) && d.desiredUp()) retireDynos.retire(d, events);
        }
        if (succeeded) {
            boolean newest = releases.findFirstByAppIdAndStatusOrderByVersionDesc(appId, Release.SUCCEEDED)
                    .map(r -> Objects.equals(r.id(), releaseId)).orElse(false);
            if (newest) {
                followArtifact.follow(app, release.artifact());
                createRelease.goLive(app, release, Instant.now());
            }
        } else {
            String email = release.userId() == null ? null
                    : accounts.findById(release.userId()).map(Account::email).orElse(null);
            appLog.api(appId, AppLog.byUser("Release v" + release.version() + " command failed", email));
        }
    }
}
