package io.slipway.api.appsetups;

import io.slipway.api.fleet.DynoRow;
import io.slipway.api.scheduler.RetireDynos;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.shared.dynos.DynoState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records the exit of a setup's postdeploy dyno, from the agent's state report ({@code agents.ReportDynoState}):
 * {@code down} with its exit status, or {@code crashed} (it could not start: -1, and the dyno is retired so it is
 * not left behind). Written into the setup's row in the report's transaction, because the one-off's row is
 * deleted in it; {@link FinishPostdeploy} then collects the output and decides. Only the first exit counts.
 *
 * <p>Lock order: the caller holds the scheduler lock, and the setup's row lock is taken after it, as
 * {@link FinishPostdeploy} does.
 */
@Service
public class PostdeployExited {
    public static final int NO_EXIT_STATUS = -1;
    private final JdbcTemplate jdbc;
    private final RetireDynos retireDynos;

    public PostdeployExited(JdbcTemplate jdbc, RetireDynos retireDynos) {
        this.jdbc = jdbc;
        this.retireDynos = retireDynos;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void exited(DynoRow dyno, String state, Integer exitCode, RuntimeEvents.Batch events) {
        if (!StartPostdeploy.isPostdeploy(dyno) || !(DynoState.DOWN.is(state) || DynoState.CRASHED.is(state))) return;
        int code = DynoState.DOWN.is(state) && exitCode != null ? exitCode : NO_EXIT_STATUS;
        jdbc.update("UPDATE app_setups SET postdeploy_exit_code = ?, postdeploy_ended_at = now() "
                + "WHERE postdeploy_dyno_id = ? AND phase = ? AND postdeploy_exit_code IS NULL",
                code, dyno.id(), AppSetup.PHASE_POSTDEPLOY);
        if (DynoState.CRASHED.is(state) && dyno.desiredUp()) retireDynos.retire(dyno, events);
    }
}
