package io.slipway.router.routes;

import io.slipway.router.api.InternalGet;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The api-server's routes endpoints ({@code GET /internal/routes}, {@code GET /internal/routes/{app_id}}). */
public final class RoutesClient {
    /** The full table and the event seq it corresponds to. */
    public record Table(long seq, List<AppRoute> apps) {}

    private final InternalGet api;

    public RoutesClient(URI apiUrl, String token, HttpClient http) {
        this.api = new InternalGet(new io.slipway.shared.internalapi.InternalTransport(apiUrl, token, http));
    }

    public Table all() throws IOException, InterruptedException {
        HttpResponse<String> response = api.get("/internal/routes");
        if (response.statusCode() != 200) {
            throw new IOException("GET /internal/routes answered HTTP " + response.statusCode());
        }
        Map<String, Object> root = Json.parseObject(response.body());
        List<AppRoute> apps = new ArrayList<>();
        for (Object r : Json.array(root.get("apps"))) apps.add(AppRoute.fromJson(Json.object(r)));
        Object seq = root.get("seq");
        return new Table(seq instanceof Long l ? l : 0L, apps);
    }

    /** One app's routes, or null when the app is gone (404). */
    public AppRoute one(UUID appId) throws IOException, InterruptedException {
        HttpResponse<String> response = api.get("/internal/routes/" + appId);
        if (response.statusCode() == 404) return null;
        if (response.statusCode() != 200) {
            throw new IOException("GET /internal/routes/" + appId + " answered HTTP " + response.statusCode());
        }
        return AppRoute.fromJson(Json.parseObject(response.body()));
    }
}
