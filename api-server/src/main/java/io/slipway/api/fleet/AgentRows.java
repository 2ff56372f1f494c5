package io.slipway.api.fleet;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** The {@code agents} table, in plain SQL. */
@Component
public class AgentRows {
    private static final RowMapper<Agent> ROW = (rs, i) -> new Agent(rs.getString("id"), rs.getString("host"),
            rs.getInt("memory_mb"), rs.getInt("dyno_slots"), rs.getString("state"),
            rs.getObject("last_heartbeat_at", OffsetDateTime.class).toInstant(),
            rs.getObject("registered_at", OffsetDateTime.class).toInstant());
    private final JdbcTemplate jdbc;

    public AgentRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Agent> find(String id) {
        return jdbc.query("SELECT * FROM agents WHERE id = ?", ROW, id).stream().findFirst();
    }

    public List<Agent> live() {
        return jdbc.query("SELECT * FROM agents WHERE state = 'live' ORDER BY id", ROW);
    }

    /** Live agents whose last heartbeat is older than {@code before}. */
    public List<Agent> silentSince(Instant before) {
        return jdbc.query("SELECT * FROM agents WHERE state = 'live' AND last_heartbeat_at < ? ORDER BY id", ROW,
                Timestamp.from(before));
    }

    /** Inserts or revives: a re-registering agent is live again with its new host and capacity. */
    public void upsert(String id, String host, int memoryMb, int dynoSlots) {
        jdbc.update("INSERT INTO agents (id, host, memory_mb, dyno_slots, state, last_heartbeat_at, registered_at) "
                + "VALUES (?, ?, ?, ?, 'live', now(), now()) ON CONFLICT (id) DO UPDATE SET host = excluded.host, "
                + "memory_mb = excluded.memory_mb, dyno_slots = excluded.dyno_slots, state = 'live', "
                + "last_heartbeat_at = now(), registered_at = now()", id, host, memoryMb, dynoSlots);
    }

    /** Records a heartbeat: the agent is live now. Returns false for an unknown agent. */
    public boolean heartbeat(String id) {
        return jdbc.update("UPDATE agents SET last_heartbeat_at = now(), state = 'live' WHERE id = ?", id) == 1;
    }

    /** Marks the agent lost if it is still live and silent since {@code before}; returns whether it did. */
    public boolean markLost(String id, Instant before) {
        return jdbc.update("UPDATE agents SET state = 'lost' WHERE id = ? AND state = 'live' AND last_heartbeat_at < ?",
                id, Timestamp.from(before)) == 1;
    }
}
