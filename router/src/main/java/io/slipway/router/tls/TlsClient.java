package io.slipway.router.tls;

import io.slipway.router.api.InternalGet;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The api-server's certificate endpoints ({@code GET /internal/tls}, {@code GET /internal/tls/{app_id}}), on the
 * same base URL, token and client as the routes. An api-server without them (404 on the list) is not an error:
 * the router then serves its default certificate only.
 */
public final class TlsClient {
    /** Every app's endpoints (apps with at least one) and the event seq they correspond to; null seq: no API. */
    public record Snapshot(Long seq, Map<UUID, List<TlsEndpoint>> apps) {}

    private final InternalGet api;

    public TlsClient(URI apiUrl, String token, HttpClient http) {
        this.api = new InternalGet(new io.slipway.shared.internalapi.InternalTransport(apiUrl, token, http));
    }

    public Snapshot all() throws IOException, InterruptedException {
        HttpResponse<String> response = api.get("/internal/tls");
        if (response.statusCode() == 404) return new Snapshot(null, Map.of());
        if (response.statusCode() != 200) {
            throw new IOException("GET /internal/tls answered HTTP " + response.statusCode());
        }
        Map<String, Object> root = Json.parseObject(response.body());
        Map<UUID, List<TlsEndpoint>> apps = new LinkedHashMap<>();
        for (Object a : Json.array(root.get("apps"))) {
            Map<String, Object> app = Json.object(a);
            apps.put(UUID.fromString((String) app.get("app_id")), endpoints(app));
        }
        Object seq = root.get("seq");
        return new Snapshot(seq instanceof Long l ? l : 0L, apps);
    }

    /** One app's endpoints; empty when it has none or is gone (404). */
    public List<TlsEndpoint> one(UUID appId) throws IOException, InterruptedException {
        HttpResponse<String> response = api.get("/internal/tls/" + appId);
        if (response.statusCode() == 404) return List.of();
        if (response.statusCode() != 200) {
            throw new IOException("GET /internal/tls/" + appId + " answered HTTP " + response.statusCode());
        }
        return endpoints(Json.parseObject(response.body()));
    }

    private static List<TlsEndpoint> endpoints(Map<String, Object> app) {
        List<TlsEndpoint> out = new ArrayList<>();
        for (Object e : Json.array(app.get("endpoints"))) out.add(TlsEndpoint.fromJson(Json.object(e)));
        return out;
    }
}
