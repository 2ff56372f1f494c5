package io.slipway.shared.routes;

import io.slipway.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One app's routing as {@code GET /internal/routes[/{app_id}]} describes it (the R object of the contract):
 * hostnames lower-cased, web dynos without a host and port left out (not routable). {@code httpsOnly}: the app's
 * {@code https-only} lab feature is on (the router redirects plain HTTP to HTTPS); absent (an older api-server)
 * reads as off.
 */
public record Route(UUID appId, String appName, List<String> hostnames, boolean maintenance, String webState,
                    List<WebDyno> webDynos, boolean httpsOnly) {

    /** One up web dyno ({@code web_dynos[]}). */
    public record WebDyno(String dynoId, String name, String host, int port) {}

    static Route of(Map<String, Object> r) {
        List<String> hosts = new ArrayList<>();
        for (Object h : Json.array(r.get("hostnames"))) {
            if (h instanceof String s && !s.isBlank()) hosts.add(s.trim().toLowerCase(Locale.ROOT));
        }
        List<WebDyno> dynos = new ArrayList<>();
        for (Object d : Json.array(r.get("web_dynos"))) {
            Map<String, Object> m = Json.object(d);
            Object port = m.get("port");
            Object host = m.get("host");
            if (!(port instanceof Long p) || !(host instanceof String h)) continue; // not routable
            dynos.add(new WebDyno(String.valueOf(m.get("dyno_id")), String.valueOf(m.get("name")), h, p.intValue()));
        }
        return new Route(UUID.fromString(String.valueOf(r.get("app_id"))), String.valueOf(r.get("app_name")),
                List.copyOf(hosts), Boolean.TRUE.equals(r.get("maintenance")),
                r.get("web_state") instanceof String s ? s : "none", List.copyOf(dynos),
                Boolean.TRUE.equals(r.get("https_only")));
    }
}
