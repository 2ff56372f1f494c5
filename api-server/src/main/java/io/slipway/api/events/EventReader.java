package io.slipway.api.events;

import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Reads the event log by position. Each call is one short query on a pooled connection; nothing is held
 * between calls, so idle followers cost no database connection.
 */
@Component
public class EventReader {
    private static final RowMapper<StoredEvent> ROW = (rs, i) -> new StoredEvent(
            rs.getLong("seq"), rs.getString("type"), rs.getObject("app_id", java.util.UUID.class),
            rs.getString("app_name"), rs.getString("payload"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant());
    private final JdbcTemplate jdbc;

    public EventReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} events with {@code seq > after}, in order. */
    public List<StoredEvent> after(long after, int limit) {
        return jdbc.query("SELECT seq, type, app_id, app_name, payload, created_at FROM events "
                + "WHERE seq > ? ORDER BY seq LIMIT ?", ROW, after, limit);
    }

    /** The newest seq, 0 for an empty log. */
    public long lastSeq() {
        Long seq = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM events", Long.class);
        return seq == null ? 0 : seq;
    }
}
