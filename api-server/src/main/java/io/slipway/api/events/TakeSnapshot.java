package io.slipway.api.events;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code GET /internal/snapshot}: the last event seq and the state it describes, read in ONE repeatable-read
 * transaction so both come from the same database snapshot. Because {@link EventLog} commits events in seq
 * order, the state then holds exactly the effects of the events up to that seq: a follower that loads it
 * and follows the stream from that seq misses nothing and applies nothing twice.
 */
@Service
public class TakeSnapshot {
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    public TakeSnapshot(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
        this.transaction.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.transaction.setReadOnly(true);
    }

    public PlatformSnapshot take() {
        return transaction.execute(status -> read());
    }

    private PlatformSnapshot read() {
        Map<String, Object> head = jdbc.queryForMap("SELECT coalesce(max(seq), 0) AS seq, "
                + "current_setting('transaction_isolation') AS isolation FROM events");
        // The whole point is one snapshot; refuse to answer from anything weaker.
        if (!"repeatable read".equals(head.get("isolation"))) {
            throw new IllegalStateException("snapshot not read under repeatable read: " + head.get("isolation"));
        }
        long seq = ((Number) head.get("seq")).longValue();

        Map<UUID, PlatformSnapshot.CurrentRelease> releases = new HashMap<>();
        jdbc.query("SELECT DISTINCT ON (app_id) app_id, id, version, slug_id, image_id FROM releases "
                + "WHERE status = 'succeeded' ORDER BY app_id, version DESC", rs -> {
            releases.put(rs.getObject("app_id", UUID.class), new PlatformSnapshot.CurrentRelease(
                    rs.getObject("id", UUID.class), rs.getInt("version"), rs.getObject("slug_id", UUID.class),
                    rs.getObject("image_id", UUID.class)));
        });
        Map<UUID, List<PlatformSnapshot.Process>> formations = new HashMap<>();
        jdbc.query("SELECT app_id, type, quantity, size, command FROM formations ORDER BY app_id, type", rs -> {
            formations.computeIfAbsent(rs.getObject("app_id", UUID.class), k -> new ArrayList<>())
                    .add(new PlatformSnapshot.Process(rs.getString("type"), rs.getInt("quantity"),
                            rs.getString("size"), rs.getString("command")));
        });
        Map<UUID, List<PlatformSnapshot.Host>> domains = new HashMap<>();
        jdbc.query("SELECT app_id, id, hostname, kind FROM domains ORDER BY app_id, created_at, hostname", rs -> {
            domains.computeIfAbsent(rs.getObject("app_id", UUID.class), k -> new ArrayList<>())
                    .add(new PlatformSnapshot.Host(rs.getObject("id", UUID.class), rs.getString("hostname"),
                            rs.getString("kind")));
        });
        List<PlatformSnapshot.AppState> apps = jdbc.query(
                "SELECT id, name, maintenance FROM apps ORDER BY name", (rs, i) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    return new PlatformSnapshot.AppState(id, rs.getString("name"), rs.getBoolean("maintenance"),
                            releases.get(id), formations.getOrDefault(id, List.of()), domains.getOrDefault(id, List.of()));
                });
        return new PlatformSnapshot(seq, apps);
    }
}
