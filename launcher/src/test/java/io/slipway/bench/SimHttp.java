package io.slipway.bench;

import io.slipway.shared.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** One asynchronous JDK HTTP client for every simulated agent and the driver: few threads, many connections. */
final class SimHttp {
    record Answer(int status, String body) {}

    private final HttpClient client;

    SimHttp(ExecutorService executor) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpClient client() {
        return client;
    }

    /** A JSON request ({@code body} null: no body); completes with any status, fails only on I/O errors. */
    CompletableFuture<Answer> send(String method, String url, String bearer, Object body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearer).header("Accept", accept);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body()));
    }

    CompletableFuture<Answer> internal(String method, String url, String token, Object body) {
        return send(method, url, token, body, "application/json");
    }

    CompletableFuture<Answer> platform(String method, String url, String apiKey, Object body) {
        return send(method, url, apiKey, body, "application/vnd.heroku+json; version=3");
    }
}
