package io.slipway.api.appsetups;

import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.releases.phase.ReleaseOutput;
import io.slipway.api.scheduler.RetireDynos;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.SchedulerLock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code postdeploy} phase, one poll: once the dyno's exit is recorded ({@link PostdeployExited}) and its
 * output has arrived (the agent's {@code Process exited} line, or {@code postdeploy-output-grace} after the
 * exit), the output is kept and exit 0 succeeds the setup; anything else fails it with Heroku's
 * {@code postdeploy script failed} (the app stays, as on Heroku). A dyno gone without an exit (its agent was
 * lost) or running past {@code postdeploy-timeout} fails it too; the latter is stopped.
 *
 * <p>Takes the scheduler lock before the setup's row, the same order as the exit report.
 */
@Service
public class FinishPostdeploy {
    public static final String FAILED = "postdeploy script failed";
    private final AppSetupRepository setups;
    private final SchedulerLock schedulerLock;
    private final DynoRows dynos;
    private final RetireDynos retireDynos;
    private final RuntimeEvents runtimeEvents;
    private final JdbcTemplate jdbc;
    private final AppSetupsConfig config;

    public FinishPostdeploy(AppSetupRepository setups, SchedulerLock schedulerLock, DynoRows dynos,
                            RetireDynos retireDynos, RuntimeEvents runtimeEvents, JdbcTemplate jdbc,
                            AppSetupsConfig config) {
        this.setups = setups;
        this.schedulerLock = schedulerLock;
        this.dynos = dynos;
        this.retireDynos = retireDynos;
        this.runtimeEvents = runtimeEvents;
        this.jdbc = jdbc;
        this.config = config;
    }

    @Transactional
    public void advance(UUID id) {
        schedulerLock.hold();
        AppSetup setup = setups.lockUnfinished(id).orElse(null);
        if (setup == null || !AppSetup.PHASE_POSTDEPLOY.equals(setup.phase())) return;
        Instant now = Instant.now();
        Integer exit = setup.postdeployExitCode();
        if (exit != null) {
            Output out = output(setup);
            if (!out.complete() && setup.postdeployEndedAt().plus(config.postdeployOutputGrace()).isAfter(now)) return;
            setup.postdeployFinished(exit, out.text());
            if (exit == 0) setup.succeed();
            else setup.fail(FAILED);
        } else {
            DynoRow dyno = dynos.find(setup.postdeployDynoId()).orElse(null);
            if (dyno == null) {
                setup.postdeployFinished(null, output(setup).text());
                setup.fail(FAILED + ": its dyno was lost before it ended");
            } else if (setup.postdeployStartedAt().plus(config.postdeployTimeout()).isBefore(now)) {
                RuntimeEvents.Batch events = runtimeEvents.batch();
                retireDynos.retire(dyno, events);
                events.publish();
                setup.postdeployFinished(null, output(setup).text());
                setup.fail(FAILED + ": it ran longer than " + config.postdeployTimeout().toMinutes() + " minutes");
            } else {
                return;
            }
        }
        setups.save(setup);
    }

    private record Output(String text, boolean complete) {}

    /**
     * The dyno's lines in the app's log, as {@link ReleaseOutput} reads a release phase's: the app was created by
     * this setup, so {@code postdeploy.1} of it is this script. Only the tail is kept, and only as many of the
     * log's lines as it still holds ({@code slipway.logs.keep-lines}).
     */
    private Output output(AppSetup setup) {
        List<ReleaseOutput.Line> lines = jdbc.query("SELECT seq, source, message FROM log_lines WHERE app_id = ? "
                        + "AND dyno = ? ORDER BY seq",
                (rs, i) -> new ReleaseOutput.Line(rs.getLong(1), rs.getString(2), rs.getString(3)),
                setup.appId(), StartPostdeploy.DYNO_NAME);
        StringBuilder text = new StringBuilder();
        boolean exited = false;
        for (ReleaseOutput.Line l : lines) {
            if (l.exited()) exited = true;
            if (l.output()) text.append(l.message()).append('\n');
        }
        int max = config.postdeployOutputBytes();
        String s = text.length() > max ? text.substring(text.length() - max) : text.toString();
        return new Output(s, exited);
    }
}
