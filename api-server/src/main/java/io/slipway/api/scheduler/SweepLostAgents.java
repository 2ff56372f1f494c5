package io.slipway.api.scheduler;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.fleet.Agent;
import io.slipway.api.fleet.AgentRows;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.shared.dynos.DynoState;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * An agent silent for {@code lost_after_seconds} is lost: its dynos are deleted, and the formation's ones
 * recreated (new ids, same names) and placed on live agents. Its one-offs are gone with it. Should it come
 * back, its heartbeat makes it live again and its assignments no longer hold the old dynos, so it stops them.
 * <p>Silence only counts while this replica could have heard heartbeats: {@link #sweep(Instant)} is given the
 * moment since which the replica has been running and reaching the database without a break. Right after every
 * api-server was down, PostgreSQL restarted, or this process was paused, every agent looks silent; moving all
 * their dynos would restart every app for nothing, so nothing is swept until they had {@code lost_after_seconds}
 * to be heard again.
 */
@Service
public class SweepLostAgents {
    private static final Logger log = LoggerFactory.getLogger(SweepLostAgents.class);
    private final SchedulerLock lock;
    private final AgentRows agents;
    private final DynoRows dynos;
    private final PlaceUnplaced placeUnplaced;
    private final RuntimeEvents runtimeEvents;
    private final int lostAfterSeconds;

    public SweepLostAgents(SchedulerLock lock, AgentRows agents, DynoRows dynos, PlaceUnplaced placeUnplaced,
                           RuntimeEvents runtimeEvents, ApiServerConfig config) {
        this.lock = lock;
        this.agents = agents;
        this.dynos = dynos;
        this.placeUnplaced = placeUnplaced;
        this.runtimeEvents = runtimeEvents;
        this.lostAfterSeconds = config.runtime().lostAfterSeconds();
    }

    /** Returns how many agents were found lost (as if the replica had been listening all along: tests). */
    @Transactional
    public int sweep() {
        return sweep(Instant.EPOCH);
    }

    /**
     * Returns how many agents were found lost.
     *
     * @param listeningSince since when this replica has been up and reaching the database without a break
     */
    @Transactional
    public int sweep(Instant listeningSince) {
        Instant before = Instant.now().minusSeconds(lostAfterSeconds);
        if (listeningSince.isAfter(before)) return 0; // not listening long enough to call anyone silent
        List<Agent> silent = agents.silentSince(before);
        if (silent.isEmpty()) return 0;
        lock.hold();
        RuntimeEvents.Batch events = runtimeEvents.batch();
        int lost = 0;
        for (Agent agent : silent) {
            // a heartbeat may have arrived since the read: only a still-silent agent is marked
            if (!agents.markLost(agent.id(), before)) continue;
            lost++;
            log.warn("dyno-agent {} sent no heartbeat for {} s: lost, moving its dynos", agent.id(), lostAfterSeconds);
            events.agent(agent.id());
            for (DynoRow d : dynos.ofAgent(agent.id())) {
                dynos.delete(d.id());
                events.dynoState(d, DynoState.DOWN.wire(), d.host(), null);
                if (d.web() && !d.oneOff()) events.routes(d.appId(), d.appName());
                if (d.desiredUp() && !d.oneOff()) {
                    DynoRow fresh = dynos.insert(d.appId(), d.releaseId(), d.name(), d.type(), d.command(), d.size(),
                            false, null, false, null, null);
                    events.dynoState(fresh, fresh.state(), null, null);
                }
            }
        }
        placeUnplaced.placeAll(events);
        events.publish();
        return lost;
    }
}
