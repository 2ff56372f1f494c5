package io.slipway.router.api;

import io.slipway.shared.internalapi.InternalTransport;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A GET on the api-server's internal listener for the router's clients, over the shared {@link InternalTransport}
 * (base URL, the router's token, the cluster CA).
 */
public final class InternalGet {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final InternalTransport api;

    public InternalGet(InternalTransport api) {
        this.api = api;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return api.http().send(api.request(path, TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The same GET without blocking: for answers needed on an event loop (the ACME challenges). */
    public CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return api.http().sendAsync(api.request(path, TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
