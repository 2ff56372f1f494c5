package io.slipway.api.agents;

import io.slipway.api.fleet.AgentRows;
import io.slipway.api.scheduler.PlaceUnplaced;
import io.slipway.api.scheduler.RuntimeEvents;
import io.slipway.api.scheduler.SchedulerLock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code POST /internal/agents}: an agent announces itself (at start, and again whenever the api-server
 * answers 404 to its heartbeat). Re-registering revives a lost agent with its new host and capacity. Dynos
 * waiting for room are placed at once.
 */
@Service
public class RegisterAgent {
    private final SchedulerLock lock;
    private final AgentRows agents;
    private final PlaceUnplaced placeUnplaced;
    private final RuntimeEvents runtimeEvents;

    public RegisterAgent(SchedulerLock lock, AgentRows agents, PlaceUnplaced placeUnplaced, RuntimeEvents runtimeEvents) {
        this.lock = lock;
        this.agents = agents;
        this.placeUnplaced = placeUnplaced;
        this.runtimeEvents = runtimeEvents;
    }

    @Transactional
    public void register(String id, String host, int memoryMb, int dynoSlots) {
        lock.hold();
        agents.upsert(id, host, memoryMb, dynoSlots);
        RuntimeEvents.Batch events = runtimeEvents.batch();
        events.agent(id);
        placeUnplaced.placeAll(events);
        events.publish();
    }
}
