package io.slipway.acceptance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Requests to an app through the platform's router, as a browser on this machine would make them: to
 * 127.0.0.1 with {@code Host: <app>.localhost} (Java's resolver does not map {@code *.localhost} to loopback).
 * Setting {@code Host} needs {@code -Djdk.httpclient.allowRestrictedHeaders=host}, which the launcher's surefire
 * configuration passes.
 */
final class RouterClient {
    private final int routerPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    RouterClient(int routerPort) {
        this.routerPort = routerPort;
    }

    HttpResponse<String> get(String app, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + path))
                .header("Host", app + ".localhost")
                .timeout(Duration.ofSeconds(40))
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The body of {@code GET /} once the app answers 200 (a deploy or restart may still be switching over). */
    String awaitOk(String app, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(app, "/");
                if (r.statusCode() == 200) return r.body();
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(app + " did not answer 200 through the router within " + timeout + "; last: " + last);
    }

    /** Waits until {@code GET /} answers a body containing {@code marker}; answers that body. */
    String awaitBody(String app, String marker, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(app, "/");
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().contains(marker)) return r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(app + " did not serve '" + marker + "' within " + timeout + "; last: " + last);
    }
}
