package io.slipway.router.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A GET on the api-server's internal listener with the router's token: the one transport of the router's clients. */
public final class InternalGet {
    private final String base;
    private final String token;
    private final HttpClient http;

    public InternalGet(URI apiUrl, String token, HttpClient http) {
        this.base = apiUrl.toString().replaceAll("/+$", "");
        this.token = token;
        this.http = http;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    /** The same GET without blocking: for answers needed on an event loop (the ACME challenges). */
    public CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token)
                .GET().build();
    }
}
