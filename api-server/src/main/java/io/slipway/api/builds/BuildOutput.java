package io.slipway.api.builds;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A build's output, chunk by chunk in {@code build_output}. Writers hold the build row's lock (see
 * {@link AppendBuildOutput}), so sequence numbers are gapless and no chunk commits after its build finished:
 * a reader that saw the build finished and then read every chunk has read all of them.
 */
@Component
public class BuildOutput {
    /** Largest chunk accepted in one call; the worker sends whole lines, usually far less. */
    public static final int MAX_CHUNK_CHARS = 1 << 20;
    private final JdbcTemplate jdbc;

    public BuildOutput(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record Chunk(int seq, String text) {}

    /** In the transaction that holds the build's row lock. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(UUID buildId, String text) {
        if (text.isEmpty()) return;
        jdbc.update("INSERT INTO build_output (build_id, seq, chunk) "
                + "SELECT ?, coalesce(max(seq), 0) + 1, ? FROM build_output WHERE build_id = ?", buildId, text, buildId);
    }

    /** Chunks after {@code seq}, oldest first, at most {@code limit}. */
    public List<Chunk> after(UUID buildId, int seq, int limit) {
        return jdbc.query("SELECT seq, chunk FROM build_output WHERE build_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                (rs, n) -> new Chunk(rs.getInt(1), rs.getString(2)), buildId, seq, limit);
    }

    /** The build's status now, or null when it is gone (its app was deleted). */
    public String status(UUID buildId) {
        List<String> s = jdbc.queryForList("SELECT status FROM builds WHERE id = ?", String.class, buildId);
        return s.isEmpty() ? null : s.get(0);
    }
}
