package io.slipway.shared.routes;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The router's routes endpoints ({@code GET /internal/routes}, {@code GET /internal/routes/{app_id}}) with the
 * router's token. Here in shared so the api-server's tests hold it to the real server (RoutesClientContractTest);
 * refusals are {@link io.slipway.shared.internalapi.InternalApiException}.
 */
public final class RoutesClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The full table and the event seq it corresponds to. */
    public record Table(long seq, List<Route> apps) {}

    private final InternalTransport api;

    public RoutesClient(InternalTransport api) {
        this.api = api;
    }

    public Table all() throws IOException {
        Reply r = api.get("/internal/routes", TIMEOUT).expect(200, "GET /internal/routes");
        Map<String, Object> root = r.read("routes", Reply::object);
        List<Route> apps = new ArrayList<>();
        for (Object o : Json.array(root.get("apps"))) apps.add(Route.of(Json.object(o)));
        return new Table(root.get("seq") instanceof Long l ? l : 0L, List.copyOf(apps));
    }

    /** One app's routes, or null when the app is gone (404). */
    public Route one(UUID appId) throws IOException {
        Reply r = api.get("/internal/routes/" + appId, TIMEOUT);
        if (r.status() == 404) return null;
        return Route.of(r.expect(200, "GET /internal/routes/" + appId).read("routes", Reply::object));
    }
}
