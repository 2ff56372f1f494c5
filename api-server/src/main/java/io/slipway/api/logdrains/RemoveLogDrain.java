package io.slipway.api.logdrains;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** {@code heroku drains:remove URL}: by URL, id or token; {@code log_drain.removed} stops the shipping. */
@Service
public class RemoveLogDrain {
    private final AppAccess access;
    private final AppDrains appDrains;
    private final LogDrainRepository drains;
    private final EventLog events;

    public RemoveLogDrain(AppAccess access, AppDrains appDrains, LogDrainRepository drains, EventLog events) {
        this.access = access;
        this.appDrains = appDrains;
        this.drains = drains;
        this.events = events;
    }

    public record Removed(App app, LogDrain drain) {}

    @Transactional
    public Removed remove(Caller caller, String appIdentity, String drainIdentity) {
        App app = access.visible(caller, appIdentity);
        LogDrain drain = appDrains.find(app, drainIdentity);
        drains.delete(drain);
        events.append(EventTypes.LOG_DRAIN_REMOVED, app.id(), app.name(),
                Map.of("id", drain.id().toString(), "url", drain.url()));
        return new Removed(app, drain);
    }
}
