package io.slipway.api.events;

import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends to the ordered {@code events} table inside the caller's transaction, so an event exists if and
 * only if its change committed. {@code pg_notify} is transactional too: followers on every api-server
 * replica are woken when (and only when) the change commits.
 */
@Component
public class EventLog {
    public static final String CHANNEL = "slipway_events";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final JdbcTemplate jdbc;

    public EventLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public long append(String type, UUID appId, String appName, Map<String, ?> payload) {
        Long seq = jdbc.queryForObject(
                "INSERT INTO events (type, app_id, app_name, payload) VALUES (?, ?, ?, ?) RETURNING seq",
                Long.class, type, appId, appName, JSON.writeValueAsString(payload));
        jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, CHANNEL, String.valueOf(seq));
        return seq;
    }
}
