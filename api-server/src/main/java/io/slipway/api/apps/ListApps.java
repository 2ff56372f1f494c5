package io.slipway.api.apps;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code heroku apps}: the apps an account owns or collaborates on, one page of them, ordered and cut in SQL.
 * Why not entities: loading every visible {@link App} (and its sealed config vars) to then sort and cut 200 of
 * them cost a user with 1,000 apps over a second per call; this is one query of the listed columns, whose
 * visibility rule is the same as {@link AppRepository#findVisibleTo}'s.
 */
@Service
public class ListApps {
    /** The fields a listing can be ordered and ranged by, as Heroku names them; the first is the default. */
    public static final List<String> FIELDS = List.of("id", "name");

    /**
     * A window of the listing: ordered by {@code field}, from {@code start} (after it when {@code startExclusive})
     * to {@code end} inclusive, at most {@code limit} apps. Bounds compare as text (byte order), as Heroku's ids
     * and names do; null bounds are open.
     */
    public record Window(String field, String start, boolean startExclusive, String end, boolean descending, int limit) {}

    private static final String COLUMNS = "SELECT a.id, a.name, a.owner_id, o.email, a.region, a.stack, a.build_stack, "
            + "a.maintenance, a.acm, a.repo_size, a.slug_size, a.released_at, a.created_at, a.updated_at";
    private static final String FROM = "FROM apps a JOIN accounts o ON o.id = a.owner_id";
    /** An app the account owns or collaborates on (the account's id twice). */
    static final String SELECT = COLUMNS + " " + FROM
            + " WHERE (a.owner_id = ? OR a.id IN (SELECT c.app_id FROM collaborators c WHERE c.account_id = ?))";

    private final JdbcTemplate jdbc;

    public ListApps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Owned apps and shared apps are read as two ordered, limited scans merged by one outer sort, rather than one
     * scan filtered by "owned or shared": PostgreSQL can walk an index in the listing's order for each half and stop
     * at the page's size (V33), where the "or" made it read and sort every app of the account.
     */
    public List<AppSummary> page(UUID accountId, Window w) {
        // the key is compared as C-collated text, the order Java's String.compareTo gives these ASCII keys
        String key = switch (w.field()) {
            case "id" -> "(a.id::text COLLATE \"C\")";
            case "name" -> "(a.name COLLATE \"C\")";
            default -> throw new IllegalArgumentException("not a listing field: " + w.field());
        };
        String direction = w.descending() ? " DESC" : "";
        StringBuilder bounds = new StringBuilder();
        List<Object> boundArgs = new ArrayList<>();
        if (w.start() != null) {
            bounds.append(" AND ").append(key).append(w.descending() ? " <" : " >").append(w.startExclusive() ? "" : "=").append(" ?");
            boundArgs.add(w.start());
        }
        if (w.end() != null) {
            bounds.append(" AND ").append(key).append(w.descending() ? " >= ?" : " <= ?");
            boundArgs.add(w.end());
        }
        String select = "(" + COLUMNS + ", " + key + " AS listing_key " + FROM + " WHERE ";
        String cut = bounds + " ORDER BY " + key + direction + " LIMIT ?)";
        String sql = "SELECT * FROM (" + select + "a.owner_id = ?" + cut
                + " UNION ALL " + select + "a.owner_id <> ? AND a.id IN (SELECT c.app_id FROM collaborators c WHERE c.account_id = ?)" + cut
                + ") page ORDER BY listing_key COLLATE \"C\"" + direction + " LIMIT ?";
        List<Object> args = new ArrayList<>();
        args.add(accountId);
        args.addAll(boundArgs);
        args.add(w.limit());
        args.add(accountId);
        args.add(accountId);
        args.addAll(boundArgs);
        args.add(w.limit());
        args.add(w.limit());
        return jdbc.query(sql, (rs, i) -> summary(rs), args.toArray());
    }

    static AppSummary summary(ResultSet rs) throws SQLException {
        return new AppSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9), rs.getLong(10),
                rs.getLong(11), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
