package io.slipway.api.scheduler;

import io.slipway.api.fleet.Agent;
import io.slipway.api.fleet.AgentRows;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.shared.dynos.DynoSize;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts a dyno on the live agent with the most room. With no room anywhere the dyno stays unplaced
 * ({@code starting}, no agent) and is placed when an agent registers or comes back.
 */
@Component
public class PlaceDyno {
    private final AgentRows agents;
    private final DynoRows dynos;
    private final JdbcTemplate jdbc;
    private final AtomicLong placed = new AtomicLong();

    public PlaceDyno(AgentRows agents, DynoRows dynos, JdbcTemplate jdbc) {
        this.agents = agents;
        this.dynos = dynos;
        this.jdbc = jdbc;
    }

    /** The live agents' free room, read when the first dyno is placed with it (under the scheduler lock). */
    public Capacity capacity() {
        return Capacity.lazy(this::load);
    }

    private void load(Capacity capacity) {
        Map<String, int[]> used = new HashMap<>();
        jdbc.query("SELECT agent_id, size FROM dynos WHERE agent_id IS NOT NULL", rs -> {
            int[] u = used.computeIfAbsent(rs.getString("agent_id"), k -> new int[2]);
            u[0]++;
            u[1] += DynoSize.memoryMbOf(rs.getString("size"));
        });
        for (Agent a : agents.live()) {
            int[] u = used.getOrDefault(a.id(), new int[2]);
            capacity.add(a, u[0], u[1]);
        }
    }

    public Optional<Agent> place(DynoRow dyno, Capacity capacity, RuntimeEvents.Batch events) {
        Optional<Agent> agent = capacity.take(dyno.size());
        agent.ifPresent(a -> {
            dynos.place(dyno.id(), a.id(), a.host());
            events.agent(a.id());
            placed.incrementAndGet();
        });
        return agent;
    }

    /** Dynos this process placed since it started (the scheduler's pass log reports the difference). */
    public long placedSoFar() {
        return placed.get();
    }
}
