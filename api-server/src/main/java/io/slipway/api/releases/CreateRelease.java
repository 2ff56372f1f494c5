package io.slipway.api.releases;

import io.slipway.api.errors.Conflict;
import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.api.logs.AppLog;
import io.slipway.api.releases.phase.ReleasePhaseCommand;
import io.slipway.api.releases.phase.StartReleasePhase;
import io.slipway.shared.events.EventTypes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records release v(N+1) of an app: the given slug (or image, {@link Artifact}) and a snapshot of the app's config vars as they are now.
 * Every config change, deploy and rollback ends here, in the caller's transaction. The (app, version) unique
 * key makes two concurrent releases fail loudly rather than share a number; the caller's transaction then
 * rolls back whole. The app's log gets Heroku's two lines: {@code <description> by user a@b.c}
 * ({@code Set FOO config vars}, {@code Deploy 1a2b3c4d}, {@code Rollback to v3}...) and
 * {@code Release v5 created by user a@b.c}.
 *
 * <p>When the slug's Procfile has a {@code release} process type (Heroku's release phase) the release is
 * created {@code pending} and its command starts as the one-off dyno {@code release.<version>}; it goes live
 * ({@link #goLive}) only when that command exits 0 ({@code phase.FinishReleasePhase}). Otherwise it is live
 * at once: {@code release.created} tells the runtime.
 */
@Service
public class CreateRelease {
    private final ReleaseRepository releases;
    private final ReleaseHeads heads;
    private final AppRepository apps;
    private final EventLog events;
    private final AppLog appLog;
    private final AccountRepository accounts;
    private final ReleasePhaseCommand phaseCommand;
    private final StartReleasePhase startPhase;

    public CreateRelease(ReleaseRepository releases, ReleaseHeads heads, AppRepository apps, EventLog events, AppLog appLog,
                         AccountRepository accounts, ReleasePhaseCommand phaseCommand, StartReleasePhase startPhase) {
        this.releases = releases;
        this.heads = heads;
        this.apps = apps;
        this.events = events;
        this.appLog = appLog;
        this.accounts = accounts;
        this.phaseCommand = phaseCommand;
        this.startPhase = startPhase;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, UUID slugId, UUID userId) {
        return create(app, description, slugId, app.configVars(), userId);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, UUID slugId, Map<String, String> configVars, UUID userId) {
        return create(app, description, Artifact.slug(slugId), configVars, userId);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, Artifact artifact, UUID userId) {
        return create(app, description, artifact, app.configVars(), userId);
    }

    /** By a caller whose email is known already: no account lookup for the log lines. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, Artifact artifact, Caller caller) {
        return create(app, description, artifact, app.configVars(), caller.accountId(), caller.email());
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, Artifact artifact, Map<String, String> configVars, UUID userId) {
        String email = userId == null ? null : accounts.findById(userId).map(Account::email).orElse(null);
        return create(app, description, artifact, configVars, userId, email);
    }

    private Release create(App app, String description, Artifact artifact, Map<String, String> configVars, UUID userId,
                           String email) {
        int next = heads.lastVersion(app.id()) + 1;
        Optional<String> phase = phaseCommand.of(app.id(), artifact);
        Release release = new Release(app.id(), next, description, artifact, configVars, userId,
                phase.isPresent() ? StartReleasePhase.newOutputToken() : null);
        // live at once: the app's release time goes out in the same flush as its other changes (one UPDATE)
        if (phase.isEmpty()) {
            app.markReleased(release.createdAt());
            apps.save(app);
        }
        try {
            release = releases.saveAndFlush(release);
        } catch (DataIntegrityViolationException e) {
            throw new Conflict("release",
                    "Another release of " + app.name() + " was created at the same time; try again.");
        }
        appLog.api(app.id(), AppLog.byUser(description, email));
        appLog.api(app.id(), AppLog.byUser("Release v" + next + " created", email));
        if (phase.isPresent()) {
            startPhase.start(app, release, phase.get());
        } else {
            announce(app, release);
        }
        return release;
    }

    /** The release becomes the app's current one: the runtime deploys it ({@code release.created}). */
    @Transactional(propagation = Propagation.MANDATORY)
    public void goLive(App app, Release release, Instant at) {
        app.markReleased(at);
        apps.save(app);
        announce(app, release);
    }

    private void announce(App app, Release release) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("release_id", release.id().toString());
        payload.put("version", release.version());
        payload.put("slug_id", release.slugId() == null ? null : release.slugId().toString());
        if (release.imageId() != null) payload.put("image_id", release.imageId().toString());
        events.append(EventTypes.RELEASE_CREATED, app.id(), app.name(), payload);
    }
}
