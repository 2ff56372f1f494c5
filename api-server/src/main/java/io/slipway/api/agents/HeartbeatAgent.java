package io.slipway.api.agents;

import io.slipway.api.fleet.AgentRows;
import io.slipway.api.scheduler.PlaceUnplaced;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.SchedulerLock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /internal/agents/{id}/heartbeat}: keeps an agent live. A lost agent that heartbeats again is
 * live again (its old dynos were moved; its assignments tell it to stop them) and can take waiting dynos.
 * The dyno list the agent sends is not used yet: state reports are the source of dyno states.
 */
@Service
public class HeartbeatAgent {
    private final SchedulerLock lock;
    private final AgentRows agents;
    private final PlaceUnplaced placeUnplaced;
    private final RuntimeEvents runtimeEvents;

    public HeartbeatAgent(SchedulerLock lock, AgentRows agents, PlaceUnplaced placeUnplaced, RuntimeEvents runtimeEvents) {
        this.lock = lock;
        this.agents = agents;
        this.placeUnplaced = placeUnplaced;
        this.runtimeEvents = runtimeEvents;
    }

    /** Returns false for an agent the api-server does not know (it must register). */
    @Transactional
    public boolean heartbeat(String id) {
        var agent = agents.find(id);
        if (agent.isEmpty()) return false;
        boolean wasLost = !agent.get().live();
        // the scheduler lock comes before any row lock (as in the lost-agent sweep), so the two cannot deadlock
        if (wasLost) lock.hold();
        if (!agents.heartbeat(id)) return false;
        if (wasLost) {
            RuntimeEvents.Batch events = runtimeEvents.batch();
            events.agent(id);
            placeUnplaced.placeAll(events);
            events.publish();
        }
        return true;
    }
}
