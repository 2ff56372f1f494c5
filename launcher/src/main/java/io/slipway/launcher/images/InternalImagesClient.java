package io.slipway.launcher.images;

import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.internalapi.Reply;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's side of the base-image endpoints of the internal API ({@code /internal/images}, plain HTTP on
 * loopback, the operator's token; docs/internal-api.md) and the presigned uploads they hand out.
 */
public final class InternalImagesClient {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private final InternalTransport api;

    public InternalImagesClient(String internalUrl, String operatorToken) {
        this.url = internalUrl;
        this.api = new InternalTransport(URI.create(internalUrl), operatorToken, http);
    }

    /** The stored image {@code name[:tag]}, or empty when the platform has none of that name. */
    public Optional<Map<String, Object>> get(String nameAndTag) {
        Response r = send("GET", "/internal/images/" + segment(nameAndTag), null);
        if (r.status == 404) return Optional.empty();
        return Optional.of(Json.object(r.ok()));
    }

    /** Every base image the platform has. */
    public List<Map<String, Object>> list() {
        Object body = send("GET", "/internal/images", null).ok();
        // a bare list, or an object holding one (either is a reasonable reading of "→ list")
        Object items = body instanceof Map<?, ?> m ? m.get("images") : body;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.array(items)) out.add(Json.object(o));
        return out;
    }

    /** For each blob, a presigned PUT url, or null when the platform already stores it. */
    public Map<String, String> uploadUrls(List<RootfsImage.Blob> blobs) {
        List<Object> asked = new ArrayList<>();
        for (RootfsImage.Blob b : blobs) asked.add(Map.of("digest", b.digest(), "size", b.size()));
        Object answer = send("POST", "/internal/images/blobs", Map.of("blobs", asked)).ok();
        Map<String, String> urls = new LinkedHashMap<>();
        for (Object o : Json.array(Json.object(answer).get("blobs"))) {
            Map<String, Object> b = Json.object(o);
            Object put = b.get("put_url");
            urls.put(String.valueOf(b.get("digest")), put == null ? null : String.valueOf(put));
        }
        return urls;
    }

    /** Uploads one blob to its presigned url. */
    public void upload(String putUrl, RootfsImage.Blob blob) {
        HttpRequest.BodyPublisher body;
        try {
            body = blob.file() != null ? HttpRequest.BodyPublishers.ofFile(blob.file())
                    : HttpRequest.BodyPublishers.ofByteArray(blob.bytes());
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + blob.file() + ": " + e.getMessage(), e);
        }
        HttpResponse<String> r = exchange(HttpRequest.newBuilder(URI.create(putUrl)).timeout(Duration.ofMinutes(15))
                .PUT(body).build(), "the object store");
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("The object store refused blob " + blob.digest() + ": HTTP " + r.statusCode());
        }
    }

    /** Records (or replaces) {@code name[:tag]}; returns the stored image. */
    public Map<String, Object> put(String nameAndTag, Map<String, Object> image) {
        return Json.object(send("PUT", "/internal/images/" + segment(nameAndTag), image).ok());
    }

    /** An answer whose body may be a bare JSON list (the images listing), not only an object. */
    private record Response(int status, String body) {
        Object ok() {
            Object json = parse(body);
            if (status / 100 != 2) {
                Object message = json instanceof Map<?, ?> m ? m.get("message") : null;
                throw new IllegalStateException(message != null ? String.valueOf(message) : "HTTP " + status + " " + body);
            }
            return json;
        }
    }

    private Response send(String method, String path, Object body) {
        try {
            Reply r = api.json(method, path, body, TIMEOUT);
            return new Response(r.status(), r.body());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("interrupted", e);
            throw new IllegalStateException("could not reach the running platform at " + url + ": " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("could not reach " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Object parse(String body) {
        try {
            return body == null || body.isBlank() ? Map.of() : Json.parse(body);
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }
}
