package io.slipway.dynoagent;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.lifecycle.DynoContext;
import io.slipway.dynoagent.lifecycle.DynoSupervisor;
import io.slipway.shared.dynos.DynoState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Makes the dynos running on this agent what the assignments say: a dyno assigned and not running gets a
 * {@link DynoSupervisor}, a running one gets its newer assignment (a stop, a restart), one no longer assigned is
 * retired. A dyno that ended for good (a one-off that ran, one we stopped) is not started again while it is
 * still listed; one desired stopped that does not run here is confirmed {@code down} so the api-server drops it.
 */
final class DynoReconciler {
    private static final Logger LOG = Logger.getLogger(DynoReconciler.class.getName());

    private final DynoContext context;
    private final AgentsClient api;
    private final Map<String, DynoSupervisor> dynos = new ConcurrentHashMap<>();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private boolean closed;

    DynoReconciler(DynoContext context, AgentsClient api) {
        this.context = context;
        this.api = api;
    }

    /** Dyno id → last reported state, of the dynos running here now. */
    Map<String, DynoState> states() {
        Map<String, DynoState> states = new LinkedHashMap<>();
        dynos.forEach((id, s) -> states.put(id, s.state()));
        return states;
    }

    void reconcile(List<Assignment> wanted) {
        synchronized (lock) {
            if (closed) return;
            Set<String> seen = new HashSet<>();
            for (Assignment a : wanted) {
                if (a.dynoId() == null) continue;
                seen.add(a.dynoId());
                DynoSupervisor running = dynos.get(a.dynoId());
                if (running != null) {
                    running.update(a);
                    continue;
                }
                if (finished.contains(a.dynoId())) continue; // a one-off that ended, or one we stopped
                if (!a.wantsUp()) {
                    reportDown(a.dynoId()); // not running here: confirm so the api-server drops it
                    finished.add(a.dynoId());
                    continue;
                }
                DynoSupervisor supervisor = new DynoSupervisor(a, context, this::onFinished);
                dynos.put(a.dynoId(), supervisor);
                supervisor.start();
            }
            for (DynoSupervisor s : new ArrayList<>(dynos.values())) {
                if (!seen.contains(s.dynoId())) s.retire();
            }
            finished.retainAll(seen);
        }
    }

    /**
     * Stops every dyno at once (SIGTERM, SIGKILL after the stop timeout, no drain) and waits up to {@code wait}
     * for each; no dyno is started afterwards.
     */
    void stopAll(Duration wait) {
        List<DynoSupervisor> all;
        synchronized (lock) {
            closed = true;
            all = new ArrayList<>(dynos.values());
        }
        for (DynoSupervisor s : all) s.shutdown();
        for (DynoSupervisor s : all) {
            try {
                if (!s.awaitFinished(wait)) LOG.warning("dyno " + s.dynoId() + " did not stop in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void onFinished(DynoSupervisor supervisor) {
        synchronized (lock) {
            dynos.remove(supervisor.dynoId(), supervisor);
            if (supervisor.endedForGood()) finished.add(supervisor.dynoId());
        }
    }

    private void reportDown(String dynoId) {
        try {
            api.reportState(dynoId, DynoState.DOWN, null, null, null);
        } catch (IOException e) {
            LOG.fine("reporting " + dynoId + " down failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
