package io.slipway.api.agents;

import io.slipway.api.appsetups.PostdeployExited;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.api.releases.phase.FinishReleasePhase;
import io.slipway.api.scheduler.PlaceDyno;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.ScheduleApp;
import io.slipway.api.scheduler.SchedulerLock;
import io.slipway.shared.dynos.DynoState;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /internal/agents/{agent}/dynos/{dyno}/state}: what a dyno is doing now. {@code down} of a
 * retired dyno or a finished one-off deletes its row. Every report is a {@code dyno.state_changed} (and a
 * {@code routes.changed} for web dynos), and the app is reconciled in the same transaction, so a deploy
 * switches over as soon as the last new web dyno is up. A release-phase dyno that ends ({@code down}) or
 * cannot start ({@code crashed}) ends its release's release phase ({@link FinishReleasePhase}): only
 * {@code down} with exit status 0 lets the release go live. An app setup's postdeploy dyno's end is recorded in
 * its setup ({@link PostdeployExited}).
 */
@Service
public class ReportDynoState {
    public static final Set<String> STATES = DynoState.wireNames();
    private final SchedulerLock lock;
    private final DynoRows dynos;
    private final ScheduleApp scheduleApp;
    private final PlaceDyno placeDyno;
    private final RuntimeEvents runtimeEvents;
    private final FinishReleasePhase finishReleasePhase;
    private final PostdeployExited postdeployExited;

    public ReportDynoState(SchedulerLock lock, DynoRows dynos, ScheduleApp scheduleApp, PlaceDyno placeDyno,
                           RuntimeEvents runtimeEvents, FinishReleasePhase finishReleasePhase,
                           PostdeployExited postdeployExited) {
        this.postdeployExited = postdeployExited;
        this.finishReleasePhase = finishReleasePhase;
        this.lock = lock;
        this.dynos = dynos;
        this.scheduleApp = scheduleApp;
        this.placeDyno = placeDyno;
        this.runtimeEvents = runtimeEvents;
    }

    /** Returns false when the dyno is not (or no longer) this agent's: the agent stops it. */
    @Transactional
    public boolean report(String agentId, UUID dynoId, String state, Integer port, Integer exitCode) {
        lock.hold();
        DynoRow dyno = dynos.find(dynoId).filter(d -> agentId.equals(d.agentId())).orElse(null);
        if (dyno == null) return false;
        RuntimeEvents.Batch events = runtimeEvents.batch();
        if (DynoState.DOWN.is(state) && (!dyno.desiredUp() || dyno.oneOff())) {
            dynos.delete(dyno.id());
            events.dynoState(dyno, state, dyno.host(), null);
            events.agent(agentId);
            if (dyno.web() && !dyno.oneOff()) events.routes(dyno.appId(), dyno.appName());
        } else {
            boolean changed = !state.equals(dyno.state()) || !Objects.equals(port, dyno.port())
                    || !Objects.equals(exitCode, dyno.exitCode());
            if (changed) {
                dynos.report(dyno.id(), state, port, exitCode);
                events.dynoState(dyno, state, dyno.host(), port);
                if (dyno.web() && !dyno.oneOff()) events.routes(dyno.appId(), dyno.appName());
            }
        }
        if (FinishReleasePhase.isReleasePhase(dyno) && (DynoState.DOWN.is(state) || DynoState.CRASHED.is(state))) {
            finishReleasePhase.finish(dyno.releaseId(), DynoState.DOWN.is(state) && Integer.valueOf(0).equals(exitCode),
                    events);
        }
        postdeployExited.exited(dyno, state, exitCode, events);
        if (!dyno.oneOff()) scheduleApp.reconcile(dyno.appId(), placeDyno.capacity(), events);
        events.publish();
        return true;
    }
}
