package io.slipway.api.apps;

import io.slipway.api.events.EventLog;
import io.slipway.api.web.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku apps:destroy}: owner only. Rows of the app (releases, domains, formation, dynos...) go with
 * it by foreign-key cascade; the {@code app.deleted} event tells the runtime to stop its dynos and drop routes.
 */
@Service
public class DestroyApp {
    private final AppAccess access;
    private final AppRepository apps;
    private final EventLog events;

    public DestroyApp(AppAccess access, AppRepository apps, EventLog events) {
        this.access = access;
        this.apps = apps;
        this.events = events;
    }

    @Transactional
    public App destroy(Caller caller, String identity) {
        App app = access.owned(caller, identity);
        apps.delete(app);
        apps.flush();
        events.append(EventTypes.APP_DELETED, app.id(), app.name(), Map.of("name", app.name()));
        return app;
    }
}
