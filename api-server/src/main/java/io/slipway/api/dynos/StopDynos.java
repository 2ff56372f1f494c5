package io.slipway.api.dynos;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.web.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku ps:stop} ({@code -p TYPE} or {@code -d NAME}): recorded as a {@code dyno.stop_requested}
 * event for the dyno-agents. As on Heroku, dynos the formation still wants are started again; scaling to 0 is
 * how a process type stays stopped.
 */
@Service
public class StopDynos {
    private final AppAccess access;
    private final DynoTargets targets;
    private final EventLog events;

    public StopDynos(AppAccess access, DynoTargets targets, EventLog events) {
        this.access = access;
        this.targets = targets;
        this.events = events;
    }

    @Transactional
    public void type(Caller caller, String appIdentity, String type) {
        App app = access.visible(caller, appIdentity);
        events.append(EventTypes.DYNO_STOP_REQUESTED, app.id(), app.name(),
                Map.of("type", targets.requireType(app, type)));
    }

    @Transactional
    public void dyno(Caller caller, String appIdentity, String dynoIdentity) {
        App app = access.visible(caller, appIdentity);
        events.append(EventTypes.DYNO_STOP_REQUESTED, app.id(), app.name(),
                Map.of("dyno", targets.requireDyno(app, dynoIdentity).name()));
    }
}
