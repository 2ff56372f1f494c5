package io.slipway.gitgateway.api;

import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * JSON over HTTP to the api-server's public URL (the Builds API) with the push token of the user who pushes. The
 * gateway's own internal calls go through the shared {@link io.slipway.shared.internalapi.InternalTransport}
 * ({@link GitAccessClient}). Bodies are small; nothing here streams except {@link #openStream}.
 */
public final class ApiClient {
    public static final String USER_AGENT = "slipway-git-gateway";
    private static final String ACCEPT = "application/vnd.heroku+json; version=3";
    private final URI base;
    private final HttpClient http;

    public ApiClient(URI base, HttpClient http) {
        this.base = base;
        this.http = http;
    }

    public HttpClient http() {
        return http;
    }

    /** A response: status and the parsed JSON body (an empty map when there is none or it is not an object). */
    public record Reply(int status, Map<String, Object> json, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The Heroku error message, or a generic one. */
        public String message() {
            Object m = json.get("message");
            return m instanceof String s && !s.isBlank() ? s : "HTTP " + status;
        }

        public String string(String field) {
            Object v = json.get(field);
            return v instanceof String s ? s : null;
        }
    }

    public Reply asUser(String token, String method, String path, Map<String, Object> body) throws IOException {
        return send(base, method, path, "Bearer " + token, body);
    }

    private Reply send(URI origin, String method, String path, String authorization, Map<String, Object> body)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(origin.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", ACCEPT)
                .header("Authorization", authorization)
                .header("User-Agent", USER_AGENT);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Map<String, Object> json = Map.of();
        String text = r.body() == null ? "" : r.body();
        if (!text.isBlank()) {
            try {
                json = Json.object(Json.parse(text));
            } catch (IllegalArgumentException notJson) {
                // an error page from something in between: keep the text only
            }
        }
        return new Reply(r.statusCode(), json, text);
    }

    /** GET a URL (absolute, e.g. a build's output stream) as a stream, with the user's token when it is ours. */
    public HttpResponse<InputStream> openStream(URI url, String token) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).header("User-Agent", USER_AGENT);
        if (token != null && sameOrigin(url)) b.header("Authorization", "Bearer " + token);
        try {
            return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean sameOrigin(URI url) {
        return base.getScheme().equalsIgnoreCase(url.getScheme()) && base.getHost().equalsIgnoreCase(url.getHost())
                && base.getPort() == url.getPort();
    }
}
