package io.slipway.api.releases;

import io.slipway.api.accounts.Account;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.events.EventLog;
import io.slipway.api.logs.AppLog;
import io.slipway.shared.events.EventTypes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records release v(N+1) of an app: the given slug and a snapshot of the app's config vars as they are now.
 * Every config change, deploy and rollback ends here, in the caller's transaction, with a
 * {@code release.created} event for the runtime. The (app, version) unique key makes two concurrent
 * releases fail loudly rather than share a number; the caller's transaction then rolls back whole.
 * The app's log gets Heroku's two lines: {@code <description> by user a@b.c} ({@code Set FOO config vars},
 * {@code Deploy 1a2b3c4d}, {@code Rollback to v3}...) and {@code Release v5 created by user a@b.c}.
 */
@Service
public class CreateRelease {
    private final ReleaseRepository releases;
    private final AppRepository apps;
    private final EventLog events;
    private final AppLog appLog;
    private final AccountRepository accounts;

    public CreateRelease(ReleaseRepository releases, AppRepository apps, EventLog events, AppLog appLog,
                         AccountRepository accounts) {
        this.releases = releases;
        this.apps = apps;
        this.events = events;
        this.appLog = appLog;
        this.accounts = accounts;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, UUID slugId, UUID userId) {
        return create(app, description, slugId, app.configVars(), userId);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public Release create(App app, String description, UUID slugId, Map<String, String> configVars, UUID userId) {
        int next = releases.findFirstByAppIdOrderByVersionDesc(app.id()).map(r -> r.version() + 1).orElse(1);
        Release release;
        try {
            release = releases.saveAndFlush(new Release(app.id(), next, description, slugId, configVars, userId));
        } catch (DataIntegrityViolationException e) {
            throw io.slipway.api.web.ApiErrors.conflict("release",
                    "Another release of " + app.name() + " was created at the same time; try again.");
        }
        app.markReleased(release.createdAt());
        apps.save(app);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("release_id", release.id().toString());
        payload.put("version", release.version());
        payload.put("slug_id", slugId == null ? null : slugId.toString());
        events.append(EventTypes.RELEASE_CREATED, app.id(), app.name(), payload);
        String email = userId == null ? null : accounts.findById(userId).map(Account::email).orElse(null);
        appLog.api(app.id(), AppLog.byUser(description, email));
        appLog.api(app.id(), AppLog.byUser("Release v" + next + " created", email));
        return release;
    }
}
