package io.slipway.api.releases.phase;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A release phase's output, read from the app's log: the dyno-agent ships the release dyno's output as
 * {@code app[release.N]} lines like any dyno's, so {@code heroku logs} shows them too, and its own
 * {@code heroku[release.N]} lines say when the process exited. Only the log's recent lines are kept
 * ({@code slipway.logs.keep-lines} per app), so a stream opened long after a very talkative release phase
 * shows its tail, not its beginning.
 */
@Component
public class ReleaseOutput {
    /** What the agent logs once the process has ended and all its output was read (it joins the output pump first). */
    public static final String EXIT_LINE = io.slipway.shared.dynos.DynoLogPhrases.EXIT_PREFIX;
    private final JdbcTemplate jdbc;

    public ReleaseOutput(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Line(long seq, String source, String message) {
        public boolean output() {
            return "app".equals(source);
        }

        public boolean exited() {
            return "heroku".equals(source) && message.startsWith(EXIT_LINE);
        }
    }

    /** {@code status}: the release's; {@code updatedAt}: when it last changed (its release phase ended, if not pending). */
    public record State(UUID appId, int version, String status, Instant updatedAt) {}

    /** Null when the release is gone (its app was deleted). */
    public State state(UUID releaseId) {
        return jdbc.query("SELECT app_id, version, status, updated_at FROM releases WHERE id = ?",
                (rs, i) -> new State(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()), releaseId).stream().findFirst().orElse(null);
    }

    /** The release dyno's log lines after {@code seq}, oldest first, at most {@code limit}. */
    public List<Line> after(UUID appId, int version, long seq, int limit) {
        return jdbc.query("SELECT seq, source, message FROM log_lines WHERE app_id = ? AND dyno = ? AND seq > ? "
                        + "ORDER BY seq LIMIT ?", (rs, i) -> new Line(rs.getLong(1), rs.getString(2), rs.getString(3)),
                appId, StartReleasePhase.dynoName(version), seq, limit);
    }
}
