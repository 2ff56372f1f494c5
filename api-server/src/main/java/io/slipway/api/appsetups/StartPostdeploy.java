package io.slipway.api.appsetups;

import io.slipway.api.apps.App;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.shared.dynos.DynoSize;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts app.json's {@code scripts.postdeploy} as Heroku does: once, as the detached one-off dyno
 * {@code postdeploy.1} of the app's first release (so with its slug and config vars, add-ons' included; the agent
 * reads both from the dyno's release). As for the release phase, the row is inserted unplaced without taking the
 * scheduler lock (the caller holds the setup's row lock, and the scheduler lock is never taken after it); its
 * {@code dyno.state_changed} event wakes the scheduler, which places it like any waiting one-off. It runs with
 * the app's own rights only: the same sandbox as {@code heroku run}.
 */
@Service
public class StartPostdeploy {
    public static final String TYPE = "postdeploy";
    public static final String DYNO_NAME = TYPE + ".1";
    private final DynoRows dynos;
    private final RuntimeEvents runtimeEvents;

    public StartPostdeploy(DynoRows dynos, RuntimeEvents runtimeEvents) {
        this.dynos = dynos;
        this.runtimeEvents = runtimeEvents;
    }

    /** Whether a dyno is a setup's postdeploy script. */
    public static boolean isPostdeploy(DynoRow d) {
        return d.oneOff() && TYPE.equals(d.type());
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void start(AppSetup setup, App app, UUID releaseId) {
        if (releaseId == null) throw new ApplyManifest.SetupFailedException("The build made no release to run postdeploy on.");
        DynoRow dyno = dynos.insert(app.id(), releaseId, DYNO_NAME, TYPE, setup.postdeployCommand(),
                DynoSize.DEFAULT.herokuName(), true, null, false, null, null);
        setup.postdeployStarted(dyno.id());
        RuntimeEvents.Batch events = runtimeEvents.batch();
        events.dynoState(dyno, dyno.state(), null, null);
        events.publish();
    }
}
