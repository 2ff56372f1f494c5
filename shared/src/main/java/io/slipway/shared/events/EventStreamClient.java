package io.slipway.shared.events;

import java.io.IOException;
import io.slipway.shared.internalapi.InternalTransport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import io.slipway.shared.json.Json;

/**
 * The client side of the api-server's internal event stream, for the platform's followers (router,
 * dyno-agents, build-workers). JDK only.
 *
 * <pre>
 *   EventStreamClient client = EventStreamClient.builder(URI.create("http://api:5003"), token).build();
 *   Snapshot snapshot = client.snapshot();              // rebuild state...
 *   EventSubscription sub = client.follow(snapshot.seq(), event -> apply(event));   // ...then follow it
 *   ...
 *   sub.close();
 * </pre>
 *
 * {@link #follow} keeps one server-sent-events connection open on a daemon thread, calls the handler for
 * each event in order, and on any failure (network, api-server restart, a handler exception) reconnects
 * with exponential backoff, resuming after the last event the handler accepted ({@code Last-Event-ID}).
 * A connection that stays silent longer than the idle timeout (the server sends a keepalive comment every
 * ~15 s) is treated as dead and replaced.
 */
public final class EventStreamClient {
    private final InternalTransport api;
    private final HttpClient http;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration idleTimeout;

    private EventStreamClient(Builder b) {
        this.http = b.http != null ? b.http : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        this.api = new InternalTransport(b.baseUrl, b.token, http);
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.idleTimeout = b.idleTimeout;
    }

    /**
     * @param baseUrl the api-server's internal listener, e.g. {@code http://127.0.0.1:5003}
     * @param token   the follower's own component token (a router's or a dyno-agent's)
     */
    public static Builder builder(URI baseUrl, String token) {
        return new Builder(baseUrl, token);
    }

    /** Follows the stream from the event after {@code afterSeq} (0 = from the beginning) until closed. */
    public EventSubscription follow(long afterSeq, EventHandler handler) {
        if (afterSeq < 0) throw new IllegalArgumentException("afterSeq must be >= 0");
        EventSubscription subscription = new EventSubscription(this, afterSeq, Objects.requireNonNull(handler));
        subscription.start();
        return subscription;
    }

    /** The current state and the seq it corresponds to. */
    public Snapshot snapshot() throws IOException, InterruptedException {
        return Snapshot.parse(get("/internal/snapshot", Duration.ofSeconds(60)));
    }

    /**
     * One long poll: the events after {@code afterSeq} (at most 1000), waiting up to {@code wait} (max 60 s)
     * for the first one; empty when nothing happened in that time.
     */
    public List<Event> poll(long afterSeq, Duration wait) throws IOException, InterruptedException {
        String body = get("/internal/events?after=" + afterSeq + "&wait=" + wait.toSeconds(),
                wait.plusSeconds(30));
        Object parsed = Json.parse(body);
        if (!(parsed instanceof List<?> list)) throw new IOException("expected a JSON array from the event poll");
        List<Event> events = new ArrayList<>(list.size());
        for (Object element : list) events.add(Event.parse(Json.write(element)));
        return events;
    }

    private String get(String pathAndQuery, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = api.request(pathAndQuery, timeout).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + pathAndQuery + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    HttpRequest streamRequest(long afterSeq) {
        return api.request("/internal/events?after="
                        + URLEncoder.encode(Long.toString(afterSeq), StandardCharsets.UTF_8), null)
                .setHeader("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache")
                .header("Last-Event-ID", Long.toString(afterSeq))
                .GET().build();
    }

    HttpClient http() { return http; }
    Duration initialBackoff() { return initialBackoff; }
    Duration maxBackoff() { return maxBackoff; }
    Duration idleTimeout() { return idleTimeout; }

    public static final class Builder {
        private final URI baseUrl;
        private final String token;
        private HttpClient http;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(45);

        private Builder(URI baseUrl, String token) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            this.token = Objects.requireNonNull(token, "token");
        }

        /** An HTTP client of your own (TLS settings, executor); HTTP/1.1 is what the stream expects. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        /** First wait after a failure; doubles per failure up to {@link #maxBackoff}. Default 500 ms. */
        public Builder initialBackoff(Duration d) {
            this.initialBackoff = positive(d);
            return this;
        }

        /** Default 10 s: after an api-server outage every follower is back within seconds of it (jittered). */
        public Builder maxBackoff(Duration d) {
            this.maxBackoff = positive(d);
            return this;
        }

        /** How long a connection may stay silent before it is replaced. Default 45 s (3 keepalives). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d);
            return this;
        }

        public EventStreamClient build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) maxBackoff = initialBackoff;
            return new EventStreamClient(this);
        }

        private static Duration positive(Duration d) {
            if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be positive");
            return d;
        }
    }
}
