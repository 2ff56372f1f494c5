package io.slipway.api.fleet;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Reads and writes {@code dynos} rows with plain SQL. Writers hold the scheduler lock
 * ({@code scheduler.SchedulerLock}) so that a placement, a state report and a restart never interleave.
 */
@Component
public class DynoRows {
    private static final String SELECT = "SELECT d.*, a.name AS app_name FROM dynos d JOIN apps a ON a.id = d.app_id ";
    private static final RowMapper<DynoRow> ROW = DynoRows::map;
    private final JdbcTemplate jdbc;

    public DynoRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DynoRow> find(UUID id) {
        return jdbc.query(SELECT + "WHERE d.id = ?", ROW, id).stream().findFirst();
    }

    public List<DynoRow> ofApp(UUID appId) {
        return jdbc.query(SELECT + "WHERE d.app_id = ? ORDER BY d.type, d.name, d.created_at", ROW, appId);
    }

    public List<DynoRow> ofAgent(String agentId) {
        return jdbc.query(SELECT + "WHERE d.agent_id = ? ORDER BY a.name, d.name, d.created_at", ROW, agentId);
    }

    public List<DynoRow> unplaced() {
        return jdbc.query(SELECT + "WHERE d.agent_id IS NULL AND d.desired_state = 'up' ORDER BY d.created_at", ROW);
    }

    /** A new desired-up dyno, not placed yet (state {@code starting}). */
    public DynoRow insert(UUID appId, UUID releaseId, String name, String type, String command, String size,
                          boolean oneOff, String attachSecret, boolean attachTty, String runEnv, String attachUrl) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO dynos (id, app_id, release_id, name, type, command, size, state, desired_state, "
                        + "one_off, attach_secret, attach_tty, run_env, attach_url, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, 'starting', 'up', ?, ?, ?, ?, ?, ?, ?)",
                id, appId, releaseId, name, type, command, size, oneOff, attachSecret, attachTty,
                runEnv == null ? "{}" : runEnv, attachUrl, now, now);
        return find(id).orElseThrow();
    }

    /** Who started a one-off: its {@code attach_url} is shown to that user only. */
    public void startedBy(UUID id, UUID accountId) {
        jdbc.update("UPDATE dynos SET started_by = ? WHERE id = ?", accountId, id);
    }

    public void place(UUID id, String agentId, String host) {
        jdbc.update("UPDATE dynos SET agent_id = ?, host = ?, updated_at = now() WHERE id = ?", agentId, host, id);
    }

    public void retire(UUID id) {
        jdbc.update("UPDATE dynos SET desired_state = 'stopped', updated_at = now() WHERE id = ?", id);
    }

    public void delete(UUID id) {
        jdbc.update("DELETE FROM dynos WHERE id = ?", id);
    }

    public void bumpRestartGeneration(UUID id) {
        jdbc.update("UPDATE dynos SET restart_generation = restart_generation + 1, updated_at = now() WHERE id = ?", id);
    }

    public void resize(UUID id, String size) {
        jdbc.update("UPDATE dynos SET size = ?, restart_generation = restart_generation + 1, updated_at = now() "
                + "WHERE id = ?", size, id);
    }

    public void report(UUID id, String state, Integer port, Integer exitCode) {
        jdbc.update("UPDATE dynos SET state = ?, port = ?, exit_code = ?, updated_at = now() WHERE id = ?",
                state, port, exitCode, id);
    }

    /** Whether a one-off's attach secret belongs to a dyno (the rendezvous admits nothing else). */
    public boolean attachSecretExists(String secret) {
        Boolean exists = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM dynos WHERE attach_secret = ?)",
                Boolean.class, secret);
        return Boolean.TRUE.equals(exists);
    }

    /** Names of the app's desired-up dynos, for picking an unused {@code run.N}. */
    public boolean nameInUse(UUID appId, String name) {
        Boolean used = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM dynos WHERE app_id = ? AND name = ?)",
                Boolean.class, appId, name);
        return Boolean.TRUE.equals(used);
    }

    private static DynoRow map(ResultSet rs, int i) throws SQLException {
        return new DynoRow(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                rs.getString("app_name"), rs.getObject("release_id", UUID.class), rs.getString("name"),
                rs.getString("type"), rs.getString("command"), rs.getString("size"), rs.getString("state"),
                rs.getString("agent_id"), rs.getString("host"), (Integer) rs.getObject("port"),
                rs.getString("desired_state"), rs.getInt("restart_generation"), rs.getBoolean("one_off"),
                (Integer) rs.getObject("exit_code"), rs.getString("attach_secret"), rs.getBoolean("attach_tty"),
                rs.getString("run_env"), rs.getString("attach_url"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }
}
