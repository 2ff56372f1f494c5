package io.slipway.api.releases.phase;

import io.slipway.api.apps.App;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.logs.AppLog;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.ReleaseRepository;
import io.slipway.api.scheduler.RetireDynos;
import io.slipway.api.scheduler.RuntimeEvents;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Starts a pending release's release phase: its command as the one-off dyno {@code release.<version>} of type
 * {@code release}, with the new release's slug and config vars (the agent reads both from the dyno's release).
 * It is not a formation type and is never restarted: it runs once, and its exit decides the release.
 *
 * <p>One release phase per app at a time: a new one supersedes any still pending (that release fails and its
 * dyno is stopped), so repeated config changes cannot pile up release dynos that no quota counts.
 *
 * <p>The row is inserted unplaced, without taking the scheduler lock: the caller holds the app's row lock, and
 * the scheduler lock is always taken before an app's (see {@link FinishReleasePhase}), never after. Its
 * {@code dyno.state_changed} event wakes the scheduler, which places it on an agent like any waiting one-off.
 */
@Service
public class StartReleasePhase {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final DynoRows dynos;
    private final RuntimeEvents runtimeEvents;
    private final ReleaseRepository releases;
    private final RetireDynos retireDynos;
    private final AppLog appLog;

    public StartReleasePhase(DynoRows dynos, RuntimeEvents runtimeEvents, ReleaseRepository releases,
                             RetireDynos retireDynos, AppLog appLog) {
        this.dynos = dynos;
        this.runtimeEvents = runtimeEvents;
        this.releases = releases;
        this.retireDynos = retireDynos;
        this.appLog = appLog;
    }

    /** The random credential of a release's {@code output_stream_url}. */
    public static String newOutputToken() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Heroku names the release-phase dyno {@code release.N}; the version makes it unique per app. */
    public static String dynoName(int version) {
        return DefineProcessTypes.RELEASE_PHASE + "." + version;
    }

    /** Under the app's row lock (the caller's), which every change of a release's status takes. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void start(App app, Release release, String command) {
        RuntimeEvents.Batch events = runtimeEvents.batch();
        for (Release older : releases.findByAppIdAndStatus(app.id(), Release.PENDING)) {
            if (older.id().equals(release.id())) continue;
            older.finishReleasePhase(false);
            releases.save(older);
            for (DynoRow d : dynos.ofApp(app.id())) {
                if (FinishReleasePhase.isReleasePhase(d) && older.id().equals(d.releaseId()) && d.desiredUp()) {
                    retireDynos.retire(d, events);
                }
            }
            appLog.api(app.id(), "Release v" + older.version() + " command failed: superseded by v" + release.version());
        }
        DynoRow dyno = dynos.insert(app.id(), release.id(), dynoName(release.version()), DefineProcessTypes.RELEASE_PHASE,
                command, DefineProcessTypes.RELEASE_PHASE_SIZE.herokuName(), true, null, false, null, null);
        events.dynoState(dyno, dyno.state(), null, null);
        events.publish();
    }
}
