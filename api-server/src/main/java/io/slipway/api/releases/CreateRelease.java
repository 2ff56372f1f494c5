package io.slipway.api.releases;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.events.EventLog;
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
 */
@Service
public class CreateRelease {
    private final ReleaseRepository releases;
    private final AppRepository apps;
    private final EventLog events;

    public CreateRelease(ReleaseRepository releases, AppRepository apps, EventLog events) {
        this.releases = releases;
        this.apps = apps;
        this.events = events;
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
        return release;
    }
}
