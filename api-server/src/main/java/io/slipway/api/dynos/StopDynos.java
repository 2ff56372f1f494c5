package io.slipway.api.dynos;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.identity.Caller;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku ps:stop} ({@code -p TYPE} or {@code -d NAME}). As on Heroku, dynos the formation still wants
 * are started again, so for them a stop is a restart; scaling to 0 is how a process type stays stopped.
 * One-off dynos are stopped for good. Also recorded as a {@code dyno.stop_requested} event.
 */
@Service
public class StopDynos {
    private final AppAccess access;
    private final DynoTargets targets;
    private final EventLog events;
    private final RestartDynos restartDynos;

    public StopDynos(AppAccess access, DynoTargets targets, EventLog events, RestartDynos restartDynos) {
        this.access = access;
        this.targets = targets;
        this.events = events;
        this.restartDynos = restartDynos;
    }

    @Transactional
    public void type(Caller caller, String appIdentity, String type) {
        App app = access.visible(caller, appIdentity);
        String t = targets.requireType(app, type);
        restartDynos.restart(app, d -> d.type().equals(t));
        events.append(EventTypes.DYNO_STOP_REQUESTED, app.id(), app.name(), Map.of("type", t));
    }

    @Transactional
    public void dyno(Caller caller, String appIdentity, String dynoIdentity) {
        App app = access.visible(caller, appIdentity);
        Dyno dyno = targets.requireDyno(app, dynoIdentity);
        restartDynos.restart(app, d -> d.id().equals(dyno.id()));
        events.append(EventTypes.DYNO_STOP_REQUESTED, app.id(), app.name(), Map.of("dyno", dyno.name()));
    }
}
