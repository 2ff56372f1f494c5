package io.slipway.api.dynos;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.events.EventLog;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.identity.Caller;
import io.slipway.api.scheduler.RetireDynos;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.SchedulerLock;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku ps:restart} (all dynos, {@code -p TYPE}, {@code -d NAME}): the dynos' restart generation
 * grows, and their agents restart the processes (same dyno ids). One-off dynos are not restarted (as on
 * Heroku); naming one stops it. Also recorded as a {@code dyno.restart_requested} event.
 */
@Service
public class RestartDynos {
    private final AppAccess access;
    private final DynoTargets targets;
    private final EventLog events;
    private final SchedulerLock lock;
    private final DynoRows rows;
    private final RetireDynos retireDynos;
    private final RuntimeEvents runtimeEvents;

    public RestartDynos(AppAccess access, DynoTargets targets, EventLog events, SchedulerLock lock, DynoRows rows,
                        RetireDynos retireDynos, RuntimeEvents runtimeEvents) {
        this.access = access;
        this.targets = targets;
        this.events = events;
        this.lock = lock;
        this.rows = rows;
        this.retireDynos = retireDynos;
        this.runtimeEvents = runtimeEvents;
    }

    @Transactional
    public void all(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        restart(app, d -> !d.oneOff());
        events.append(EventTypes.DYNO_RESTART_REQUESTED, app.id(), app.name(), Map.of());
    }

    @Transactional
    public void type(Caller caller, String appIdentity, String type) {
        App app = access.visible(caller, appIdentity);
        String t = targets.requireType(app, type);
        restart(app, d -> !d.oneOff() && d.type().equals(t));
        events.append(EventTypes.DYNO_RESTART_REQUESTED, app.id(), app.name(), Map.of("type", t));
    }

    @Transactional
    public void dyno(Caller caller, String appIdentity, String dynoIdentity) {
        App app = access.visible(caller, appIdentity);
        Dyno dyno = targets.requireDyno(app, dynoIdentity);
        restart(app, d -> d.id().equals(dyno.id()));
        events.append(EventTypes.DYNO_RESTART_REQUESTED, app.id(), app.name(), Map.of("dyno", dyno.name()));
    }

    /**
     * Restarts the running formation dynos of one type, if any (a volume added or removed: the dynos must be
     * started again to get or lose it); nothing when the type runs no dyno.
     */
    @Transactional
    public void runningOfType(App app, String type) {
        if (rows.ofApp(app.id()).stream().noneMatch(d -> !d.oneOff() && d.desiredUp() && d.type().equals(type))) return;
        restart(app, d -> !d.oneOff() && d.type().equals(type));
        events.append(EventTypes.DYNO_RESTART_REQUESTED, app.id(), app.name(), Map.of("type", type));
    }

    /** Also what {@code ps:stop} does to formation dynos: the formation wants them, so they come back. */
    void restart(App app, Predicate<DynoRow> which) {
        lock.hold();
        RuntimeEvents.Batch batch = runtimeEvents.batch();
        for (DynoRow d : rows.ofApp(app.id())) {
            if (!d.desiredUp() || !which.test(d)) continue;
            if (d.oneOff()) {
                retireDynos.retire(d, batch);
            } else {
                rows.bumpRestartGeneration(d.id());
                batch.agent(d.agentId());
            }
        }
        batch.publish();
    }
}
