package io.slipway.shared.tls;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The router's certificate endpoints ({@code GET /internal/tls}, {@code GET /internal/tls/{app_id}}) with the
 * router's token. Here in shared so the api-server's tests hold it to the real server (TlsClientContractTest). An
 * api-server without them (404 on the list) is not an error: the router then serves its default certificate only.
 * Other refusals are {@link io.slipway.shared.internalapi.InternalApiException}.
 */
public final class TlsClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Every app's endpoints (apps with at least one) and the event seq they correspond to; null seq: no API. */
    public record Snapshot(Long seq, Map<UUID, List<TlsEndpoint>> apps) {}

    private final InternalTransport api;

    public TlsClient(InternalTransport api) {
        this.api = api;
    }

    public Snapshot all() throws IOException {
        Reply r = api.get("/internal/tls", TIMEOUT);
        if (r.status() == 404) return new Snapshot(null, Map.of());
        return r.expect(200, "GET /internal/tls").read("TLS", json -> {
            Map<String, Object> root = Reply.object(json);
            Map<UUID, List<TlsEndpoint>> apps = new LinkedHashMap<>();
            for (Object a : Json.array(root.get("apps"))) {
                Map<String, Object> app = Json.object(a);
                apps.put(UUID.fromString(String.valueOf(app.get("app_id"))), endpoints(app));
            }
            return new Snapshot(root.get("seq") instanceof Long l ? l : 0L, apps);
        });
    }

    /** One app's endpoints; empty when it has none or is gone (404). */
    public List<TlsEndpoint> one(UUID appId) throws IOException {
        Reply r = api.get("/internal/tls/" + appId, TIMEOUT);
        if (r.status() == 404) return List.of();
        return r.expect(200, "GET /internal/tls/" + appId).read("TLS", json -> endpoints(Reply.object(json)));
    }

    private static List<TlsEndpoint> endpoints(Map<String, Object> app) {
        List<TlsEndpoint> out = new ArrayList<>();
        for (Object e : Json.array(app.get("endpoints"))) out.add(TlsEndpoint.of(Json.object(e)));
        return List.copyOf(out);
    }
}
