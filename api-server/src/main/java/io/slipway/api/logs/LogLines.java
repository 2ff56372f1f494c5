package io.slipway.api.logs;

import io.slipway.api.ApiServerConfig;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code log_lines} table: appends, keeps the newest {@code keep-lines} per app, and reads backlogs and
 * the lines after a seq for streams.
 *
 * <p>Why appends take transaction-scoped advisory locks: streams read {@code seq > cursor} of one app. Two
 * concurrent inserts for an app could commit out of seq order, and a stream that saw the higher seq first would
 * skip the lower one for good. So an append locks its apps' stripes ({@link #stripeOf}, sorted, so two appends
 * never wait for each other in a cycle) before it draws seqs and holds them to its commit: an app's seqs are
 * handed out in commit order. Every reader reads one app, so appends of apps on other stripes go on meanwhile
 * (one lock for all apps made every config change of every app queue behind each other's commit,
 * docs/benchmarks.md, session 17). Stripes, not one lock per app: a router's batch of lines from a thousand
 * apps takes at most {@link #STRIPES} locks. One insert is one statement for the whole batch.
 *
 * <p>Why the apps are key-share locked first: the insert's foreign-key check takes that lock anyway. Taken
 * before the ordering locks, a batch waits for an app locked by a change (config:set...) without holding an
 * ordering lock, which that change needs to commit its own {@link AppLog} lines; taken after, the two would
 * deadlock. It also keeps an app from being deleted under the insert.
 */
@Component
public class LogLines {
    /** First key of the locks that order an app's log appends across every api-server replica ("logs" in ASCII). */
    static final int APPEND_ORDER_LOCK = 0x6c6f6773;
    /** How many ordering locks the apps are spread over. */
    static final int STRIPES = 64;
    /**
     * An app is trimmed once this replica stored this many lines for it since its last trim: trimming walks
     * {@code keep} index entries, too much to do for every small batch of a busy router. So up to this many
     * (per replica) older lines may sit on disk a while; no reader sees more than {@code keep} of them.
     */
    static final int TRIM_EVERY = 100;
    private static final RowMapper<LogLine> ROW = (rs, i) -> new LogLine(rs.getObject("app_id", UUID.class),
            rs.getLong("seq"), rs.getTimestamp("time").toInstant(), rs.getString("source"), rs.getString("dyno"),
            rs.getString("message"));

    private final JdbcTemplate jdbc;
    private final int keep;
    private final java.util.concurrent.ConcurrentHashMap<UUID, Integer> sinceTrim = new java.util.concurrent.ConcurrentHashMap<>();

    public LogLines(JdbcTemplate jdbc, ApiServerConfig config) {
        this.jdbc = jdbc;
        this.keep = config.logs().keepLines();
    }

    /**
     * Stores the lines of apps that exist (others are dropped: the app was deleted, or the id is wrong) in one
     * multi-row insert, then trims those apps to the newest lines. Returns the stored lines with their seqs.
     * Runs in the caller's transaction, or its own.
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public List<LogLine> append(List<LogLine> lines) {
        if (lines.isEmpty()) return List.of();
        int n = lines.size();
        UUID[] apps = new UUID[n];
        Timestamp[] times = new Timestamp[n];
        String[] sources = new String[n];
        String[] dynos = new String[n];
        String[] messages = new String[n];
        Set<UUID> appIds = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            LogLine l = lines.get(i);
            apps[i] = l.appId();
            times[i] = Timestamp.from(l.time());
            sources[i] = l.source();
            dynos[i] = l.dyno();
            messages[i] = l.message();
            appIds.add(l.appId());
        }
        UUID[] sortedApps = appIds.stream().sorted().toArray(UUID[]::new);
        Integer[] stripes = appIds.stream().map(LogLines::stripeOf).distinct().sorted().toArray(Integer[]::new);
        jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM apps WHERE id = ANY(?) ORDER BY id FOR KEY SHARE")) {
                ps.setArray(1, c.createArrayOf("uuid", sortedApps));
                ps.executeQuery().close();
                return null;
            }
        });
        // the ordering locks are taken by the insert itself, in stripe order (its rows are read through the locks'
        // one row, so every seq is drawn after them): one round trip less while this transaction holds them
        List<LogLine> stored = jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH ordered AS MATERIALIZED (
                        SELECT count(pg_advisory_xact_lock(?, s.stripe))
                        FROM (SELECT stripe FROM unnest(?::int[]) AS stripe ORDER BY stripe) s)
                    INSERT INTO log_lines (app_id, time, source, dyno, message)
                    SELECT u.app_id, u.time, u.source, u.dyno, u.message
                    FROM ordered, unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::text[], ?::text[])
                         WITH ORDINALITY AS u(app_id, time, source, dyno, message, ord)
                    WHERE EXISTS (SELECT 1 FROM apps a WHERE a.id = u.app_id)
                    ORDER BY u.ord
                    RETURNING seq, app_id, time, source, dyno, message""")) {
                ps.setInt(1, APPEND_ORDER_LOCK);
                ps.setArray(2, c.createArrayOf("int4", stripes));
                ps.setArray(3, c.createArrayOf("uuid", apps));
                ps.setArray(4, c.createArrayOf("timestamptz", times));
                ps.setArray(5, c.createArrayOf("text", sources));
                ps.setArray(6, c.createArrayOf("text", dynos));
                ps.setArray(7, c.createArrayOf("text", messages));
                List<LogLine> out = new ArrayList<>(n);
                try (ResultSet rs = ps.executeQuery()) {
                    int i = 0;
                    while (rs.next()) out.add(ROW.mapRow(rs, i++));
                }
                return out;
            }
        });
        if (stored == null || stored.isEmpty()) return List.of();
        sortBySeq(stored);
        Set<UUID> due = new LinkedHashSet<>();
        for (LogLine l : stored) {
            if (sinceTrim.merge(l.appId(), 1, Integer::sum) >= TRIM_EVERY) due.add(l.appId());
        }
        if (!due.isEmpty()) {
            due.forEach(sinceTrim::remove);
            trim(due);
        }
        return stored;
    }

    /** The ordering lock an app's appends take (its second key); every replica computes the same. */
    static int stripeOf(UUID appId) {
        return Math.floorMod(appId.hashCode(), STRIPES);
    }

    private static void sortBySeq(List<LogLine> stored) {
        // RETURNING follows the insert order in practice; sort anyway so callers can rely on it
        stored.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    }

    /** Deletes everything older than each app's newest {@code keep} lines (an index walk of {@code keep} entries). */
    private void trim(Set<UUID> appIds) {
        jdbc.execute((Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM log_lines l
                    USING (SELECT a.id,
                                  (SELECT x.seq FROM log_lines x WHERE x.app_id = a.id
                                   ORDER BY x.seq DESC OFFSET ? LIMIT 1) AS cut
                           FROM unnest(?::uuid[]) AS a(id)) c
                    WHERE l.app_id = c.id AND c.cut IS NOT NULL AND l.seq <= c.cut""")) {
                Array ids = c.createArrayOf("uuid", appIds.toArray());
                ps.setInt(1, keep);
                ps.setArray(2, ids);
                return ps.executeUpdate();
            }
        });
    }

    /** The newest {@code limit} lines of the app matching the filter up to seq {@code upTo}, oldest first. */
    public List<LogLine> backlog(UUID appId, LogFilter filter, long upTo, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(appId, filter, args) + " AND seq <= ?";
        args.add(upTo);
        args.add(limit);
        List<LogLine> lines = new ArrayList<>(jdbc.query(
                "SELECT * FROM log_lines WHERE " + where + " ORDER BY seq DESC LIMIT ?", ROW, args.toArray()));
        Collections.reverse(lines);
        return lines;
    }

    /** Up to {@code limit} lines of the app matching the filter after {@code seq}, oldest first. */
    public List<LogLine> after(UUID appId, LogFilter filter, long seq, int limit) {
        List<Object> args = new ArrayList<>();
        String where = where(appId, filter, args) + " AND seq > ?";
        args.add(seq);
        args.add(limit);
        return jdbc.query("SELECT * FROM log_lines WHERE " + where + " ORDER BY seq LIMIT ?", ROW, args.toArray());
    }

    /** The app's highest seq now (0 without lines): where a stream that showed an empty backlog starts. */
    public long lastSeq(UUID appId) {
        Long seq = jdbc.queryForObject("SELECT max(seq) FROM log_lines WHERE app_id = ?", Long.class, appId);
        return seq == null ? 0 : seq;
    }

    private static String where(UUID appId, LogFilter filter, List<Object> args) {
        StringBuilder sql = new StringBuilder("app_id = ?");
        args.add(appId);
        if (filter.source() != null) {
            sql.append(" AND source = ?");
            args.add(filter.source());
        }
        if (filter.dyno() != null) {
            // web.1 exactly, or a process type: web matches web.1, web.2... (LIKE wildcards escaped)
            sql.append(" AND (dyno = ? OR dyno LIKE ?)");
            args.add(filter.dyno());
            args.add(filter.dyno().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".%");
        }
        return sql.toString();
    }
}
