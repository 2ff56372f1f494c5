package io.slipway.shared.internalapi;

import io.slipway.shared.json.Json;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The one transport to the api-server's internal listener ({@code /internal/...}): base URL, the component's
 * bearer token, the cluster CA (the HTTP client given, built with {@code TrustedHttpClients}), per-call timeouts
 * and JSON bodies. Typed clients per feature build on it; answers come back as {@link Reply}, errors as
 * {@link InternalApiException}. Thread-safe.
 */
public final class InternalTransport {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String token;
    private final HttpClient http;
    private final String userAgent;
    private final BlockingPost bulk;

    public InternalTransport(URI apiUrl, String token, HttpClient http) {
        this(apiUrl, token, http, null);
    }

    /** @param userAgent sent on every call when not null (the git-gateway names itself) */
    public InternalTransport(URI apiUrl, String token, HttpClient http, String userAgent) {
        this.base = apiUrl.toString().replaceAll("/+$", "");
        this.token = token;
        this.http = http;
        this.userAgent = userAgent;
        this.bulk = new BlockingPost("Bearer " + token, userAgent,
                base.regionMatches(true, 0, "https:", 0, 6) ? http.sslContext().getSocketFactory() : null);
    }

    /** The HTTP client underneath; components fetch presigned URLs with it so they share its TLS trust. */
    public HttpClient http() {
        return http;
    }

    /**
     * A request to {@code path} with the token and {@code Accept: application/json}, for callers that stream
     * (events, logs); a null {@code timeout} sets none (a long-lived stream has its own idle check).
     */
    public HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
        if (timeout != null) b.timeout(timeout);
        return userAgent == null ? b : b.header("User-Agent", userAgent);
    }

    /** A call with a JSON body ({@code null}: no body). */
    public Reply json(String method, String path, Object body, Duration timeout) throws IOException {
        return body == null ? send(method, path, null, null, timeout)
                : send(method, path, "application/json", Json.write(body), timeout);
    }

    public Reply get(String path, Duration timeout) throws IOException {
        return send("GET", path, null, null, timeout);
    }

    /**
     * A GET that does not block the caller: for answers needed on an event loop (the router's ACME challenges).
     * A failed connection completes the future exceptionally; an error status is a {@link Reply} like any other.
     */
    public CompletableFuture<Reply> getAsync(String path, Duration timeout) {
        return http.sendAsync(request(path, timeout).GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    public Reply send(String method, String path, String contentType, String body, Duration timeout)
            throws IOException {
        HttpRequest.Builder request = request(path, timeout);
        if (contentType != null) request.header("Content-Type", contentType);
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the api-server");
        }
    }

    /**
     * A bulk body posted on the caller's thread, blocking until the answer (see {@link BlockingPost} for why):
     * the log shipper's batches. Returns the status; a failed connection or a timeout throws.
     */
    public int postBlocking(String path, String contentType, byte[] body, int length, Duration timeout)
            throws IOException {
        return bulk.post(URI.create(base + path), contentType, body, length, timeout);
    }

    /** A path segment, encoded (spaces as {@code %20}). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
