package io.slipway.router.routes;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.routes.Route;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The router's adapter over the shared {@link io.slipway.shared.routes.RoutesClient}: the contract's records
 * become {@link AppRoute}s (which carry the router's round-robin cursor).
 */
public final class RoutesClient {
    /** The full table and the event seq it corresponds to. */
    public record Table(long seq, List<AppRoute> apps) {}

    private final io.slipway.shared.routes.RoutesClient api;

    public RoutesClient(URI apiUrl, String token, HttpClient http) {
        this.api = new io.slipway.shared.routes.RoutesClient(new InternalTransport(apiUrl, token, http));
    }

    public Table all() throws IOException, InterruptedException {
        io.slipway.shared.routes.RoutesClient.Table t = api.all();
        List<AppRoute> apps = new ArrayList<>();
        for (Route r : t.apps()) apps.add(AppRoute.of(r));
        return new Table(t.seq(), apps);
    }

    /** One app's routes, or null when the app is gone (404). */
    public AppRoute one(UUID appId) throws IOException, InterruptedException {
        Route r = api.one(appId);
        return r == null ? null : AppRoute.of(r);
    }
}
