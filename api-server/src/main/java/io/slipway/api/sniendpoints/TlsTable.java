package io.slipway.api.sniendpoints;

import io.slipway.api.events.EventReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the router needs to terminate TLS (internal API, router token only): per app, each SNI endpoint with the
 * hostnames pointing at it, its chain and its decrypted key. The only place a private key leaves the database
 * in clear; it is never logged.
 */
@Service
public class TlsTable {
    private final JdbcTemplate jdbc;
    private final EventReader events;
    private final SniEndpointRepository endpoints;

    public TlsTable(JdbcTemplate jdbc, EventReader events, SniEndpointRepository endpoints) {
        this.jdbc = jdbc;
        this.events = events;
        this.endpoints = endpoints;
    }

    public record Endpoint(UUID id, String name, List<String> hostnames, String certificateChain, String privateKey,
                           Instant updatedAt) {}

    public record AppTls(UUID appId, List<Endpoint> endpoints) {}

    public record Table(long seq, List<AppTls> apps) {}

    /** Apps having at least one endpoint; {@code seq} is read first, so a later change comes with a later event. */
    @Transactional(readOnly = true)
    public Table all() {
        long seq = events.lastSeq();
        Map<UUID, List<String>> hosts = hostnames(null);
        Map<UUID, List<Endpoint>> byApp = new LinkedHashMap<>();
        for (SniEndpoint e : endpoints.findAll(org.springframework.data.domain.Sort.by("appId", "name"))) {
            byApp.computeIfAbsent(e.appId(), k -> new ArrayList<>()).add(endpoint(e, hosts));
        }
        return new Table(seq, byApp.entrySet().stream().map(en -> new AppTls(en.getKey(), en.getValue())).toList());
    }

    /** Empty when the app is gone (the router drops its certificates). */
    @Transactional(readOnly = true)
    public Optional<AppTls> of(UUID appId) {
        Boolean exists = jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM apps WHERE id = ?)", Boolean.class, appId);
        if (!Boolean.TRUE.equals(exists)) return Optional.empty();
        Map<UUID, List<String>> hosts = hostnames(appId);
        return Optional.of(new AppTls(appId, endpoints.findByAppIdOrderByName(appId).stream()
                .map(e -> endpoint(e, hosts)).toList()));
    }

    private static Endpoint endpoint(SniEndpoint e, Map<UUID, List<String>> hosts) {
        return new Endpoint(e.id(), e.name(), hosts.getOrDefault(e.id(), List.of()), e.certificateChain(),
                e.privateKey(), e.updatedAt());
    }

    /** Lower-case hostnames by the endpoint they point at (of one app, or of all when {@code appId} is null). */
    private Map<UUID, List<String>> hostnames(UUID appId) {
        Map<UUID, List<String>> out = new HashMap<>();
        String sql = "SELECT sni_endpoint_id, lower(hostname) AS h FROM domains WHERE sni_endpoint_id IS NOT NULL"
                + (appId == null ? "" : " AND app_id = ?") + " ORDER BY h";
        Object[] args = appId == null ? new Object[0] : new Object[] {appId};
        jdbc.query(sql, rs -> {
            out.computeIfAbsent(rs.getObject("sni_endpoint_id", UUID.class), k -> new ArrayList<>()).add(rs.getString("h"));
        }, args);
        return out;
    }
}
