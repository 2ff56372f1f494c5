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

    static final String SELECT = "SELECT a.id, a.name, a.owner_id, o.email, a.region, a.stack, a.build_stack, "
            + "a.maintenance, a.acm, a.repo_size, a.slug_size, a.released_at, a.created_at, a.updated_at "
            + "FROM apps a JOIN accounts o ON o.id = a.owner_id "
            + "WHERE (a.owner_id = ? OR a.id IN (SELECT c.app_id FROM collaborators c WHERE c.account_id = ?))";

    private final JdbcTemplate jdbc;

    public ListApps(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<AppSummary> page(UUID accountId, Window w) {
        // the key is compared as C-collated text, the order Java's String.compareTo gives these ASCII keys
        String key = switch (w.field()) {
            case "id" -> "(a.id::text COLLATE \"C\")";
            case "name" -> "(a.name COLLATE \"C\")";
            default -> throw new IllegalArgumentException("not a listing field: " + w.field());
        };
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> args = new ArrayList<>(List.of(accountId, accountId));
        String after = w.descending() ? "<" : ">";
        if (w.start() != null) {
            sql.append(" AND ").append(key).append(' ').append(after).append(w.startExclusive() ? "" : "=").append(" ?");
            args.add(w.start());
        }
        if (w.end() != null) {
            sql.append(" AND ").append(key).append(' ').append(w.descending() ? ">=" : "<=").append(" ?");
            args.add(w.end());
        }
        sql.append(" ORDER BY ").append(key).append(w.descending() ? " DESC" : "").append(" LIMIT ?");
        args.add(w.limit());
        return jdbc.query(sql.toString(), (rs, i) -> summary(rs), args.toArray());
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
