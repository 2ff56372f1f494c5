package io.slipway.api.routes;

import io.slipway.api.events.EventReader;
import io.slipway.api.features.FeatureCatalogue;
import io.slipway.shared.dynos.DynoState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the router needs per app: its hostnames (the default {@code <app>.<apps domain>} is a domains row
 * too), maintenance, and the web dynos to balance over: those up and desired up (a retired dyno leaves the
 * table at once, while its agent drains it). {@code web_state} picks the router's error when there is no
 * dyno to send to: {@code none} (H14, no web dynos), {@code starting}, {@code crashed} (H10, all crashed).
 * {@code https_only}: the app's {@code https-only} lab feature is on (the router redirects plain HTTP).
 */
@Service
public class AppRoutes {
    /** The app columns the router needs; the lab switch is read with them, so one query per table as before. */
    private static final String APPS = "SELECT a.id, a.name, a.maintenance, EXISTS (SELECT 1 FROM enabled_features f "
            + "WHERE f.owner_id = a.id AND f.name = '" + FeatureCatalogue.HTTPS_ONLY + "') AS https_only FROM apps a ";
    private static final String WEB_DYNOS = "SELECT app_id, id, name, state, host, port FROM dynos "
            + "WHERE type = 'web' AND NOT one_off AND desired_state = 'up' ";
    private final JdbcTemplate jdbc;
    private final EventReader events;

    public AppRoutes(JdbcTemplate jdbc, EventReader events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    public record WebDyno(UUID dynoId, String name, String host, int port) {}

    public record Route(UUID appId, String appName, List<String> hostnames, boolean maintenance, String webState,
                        List<WebDyno> webDynos, boolean httpsOnly) {}

    public record Table(long seq, List<Route> apps) {}

    private record AppRow(UUID id, String name, boolean maintenance, boolean httpsOnly) {}

    private record WebDynoRow(UUID appId, UUID id, String name, String state, String host, Integer port) {}

    /** Every app; {@code seq} is read first, so a change after it always comes with a later event. */
    @Transactional(readOnly = true)
    public Table all() {
        long seq = events.lastSeq();
        List<AppRow> apps = jdbc.query(APPS + "ORDER BY a.name", AppRoutes::app);
        Map<UUID, List<String>> hosts = new HashMap<>();
        jdbc.query("SELECT app_id, hostname FROM domains ORDER BY app_id, created_at, hostname", rs -> {
            hosts.computeIfAbsent(rs.getObject("app_id", UUID.class), k -> new ArrayList<>()).add(rs.getString("hostname"));
        });
        Map<UUID, List<WebDynoRow>> dynos = new HashMap<>();
        for (WebDynoRow d : jdbc.query(WEB_DYNOS + "ORDER BY app_id, name, created_at", AppRoutes::dyno)) {
            dynos.computeIfAbsent(d.appId(), k -> new ArrayList<>()).add(d);
        }
        List<Route> routes = apps.stream().map(a -> route(a, hosts.getOrDefault(a.id(), List.of()),
                dynos.getOrDefault(a.id(), List.of()))).toList();
        return new Table(seq, routes);
    }

    /** Empty when the app is gone (the router drops it). */
    @Transactional(readOnly = true)
    public Optional<Route> of(UUID appId) {
        Optional<AppRow> app = jdbc.query(APPS + "WHERE a.id = ?", AppRoutes::app, appId).stream().findFirst();
        if (app.isEmpty()) return Optional.empty();
        List<String> hosts = jdbc.queryForList("SELECT hostname FROM domains WHERE app_id = ? ORDER BY created_at, hostname",
                String.class, appId);
        List<WebDynoRow> dynos = jdbc.query(WEB_DYNOS + "AND app_id = ? ORDER BY name, created_at", AppRoutes::dyno, appId);
        return Optional.of(route(app.get(), hosts, dynos));
    }

    private static Route route(AppRow app, List<String> hostnames, List<WebDynoRow> dynos) {
        List<WebDyno> up = new ArrayList<>();
        boolean starting = false;
        boolean crashed = false;
        for (WebDynoRow d : dynos) {
            switch (DynoState.fromWire(d.state()).orElse(DynoState.CRASHED)) {
                case UP -> {
                    if (d.host() != null && d.port() != null) up.add(new WebDyno(d.id(), d.name(), d.host(), d.port()));
                    else starting = true;
                }
                case STARTING -> starting = true;
                default -> crashed = true;
            }
        }
        String state = !up.isEmpty() ? DynoState.UP.wire() : starting ? DynoState.STARTING.wire()
                : crashed ? DynoState.CRASHED.wire() : "none";
        return new Route(app.id(), app.name(), hostnames, app.maintenance(), state, up, app.httpsOnly());
    }

    private static AppRow app(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new AppRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getBoolean("maintenance"),
                rs.getBoolean("https_only"));
    }

    private static WebDynoRow dyno(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new WebDynoRow(rs.getObject("app_id", UUID.class), rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getString("state"), rs.getString("host"), (Integer) rs.getObject("port"));
    }
}
