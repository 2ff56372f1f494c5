package io.slipway.shared.logs;

import io.slipway.shared.json.Json;
import io.slipway.shared.internalapi.InternalTransport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends log lines of apps to the api-server ({@code POST /internal/logs}), which keeps the recent ones and feeds
 * {@code heroku logs} and the drains. Used by the dyno-agent (dyno output, state changes) and the router
 * (one access line per request).
 *
 * <p>{@link #ship} never blocks its caller: a dyno printing fast or a router under load must not slow down
 * because the api-server is slow or away. Lines wait in a bounded queue, a background thread posts them in
 * batches, and when the queue is full the oldest lines are dropped and counted (Heroku's logplex drops too,
 * reporting L10). A failed post is retried with backoff, keeping the lines while there is room.
 *
 * <p>The caller's side is kept cheap (the router calls it once per request on its event loop): a line is queued
 * as a small object holding the caller's strings and the time as epoch microseconds; the timestamp and the JSON
 * body are written by hand on the sender thread, with the per-second part of the timestamp cached.
 */
public final class LogShipper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogShipper.class.getName());
    public static final int DEFAULT_CAPACITY = 20_000;
    private static final int MAX_BATCH = 1_000;
    private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final InternalTransport api;
    private final HttpClient http;
    private final int capacity;
    private final ArrayDeque<Line> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread sender;
    private volatile boolean closing;

    public LogShipper(URI apiUrl, String internalToken, HttpClient http) {
        this(apiUrl, internalToken, http, DEFAULT_CAPACITY);
    }

    public LogShipper(URI apiUrl, String internalToken, HttpClient http, int capacity) {
        this.api = new InternalTransport(apiUrl, internalToken, http);
        this.http = http;
        this.capacity = capacity;
        this.sender = new Thread(this::run, "log-shipper");
        sender.setDaemon(true);
        sender.start();
    }

    /**
     * Queues one line. {@code source} is {@code app} or {@code heroku}; {@code dyno} is the process
     * ({@code web.1}, {@code run.4021}) or the platform part ({@code router}, {@code api}).
     */
    public void ship(UUID appId, String source, String dyno, String message) {
        ship(appId, source, dyno, message, Instant.now());
    }

    public void ship(UUID appId, String source, String dyno, String message, Instant time) {
        if (appId == null) return;
        ship(appId.toString(), source, dyno, message, time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000);
    }

    /**
     * The cheap path for hot callers: the app id already as a string (e.g. cached per route) and the time as
     * epoch microseconds (e.g. {@code System.currentTimeMillis() * 1000}); nothing is formatted here.
     */
    public void ship(String appId, String source, String dyno, String message, long epochMicros) {
        if (appId == null || closing) return;
        Line line = new Line(appId, source, dyno, message == null ? "" : message, epochMicros);
        synchronized (queue) {
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped.incrementAndGet();
            }
            queue.addLast(line);
            if (queue.size() >= MAX_BATCH) queue.notifyAll();
        }
    }

    /** Lines dropped because the queue was full (the api-server was slow or away). */
    public long dropped() {
        return dropped.get();
    }

    /** Lines the api-server accepted. */
    public long sent() {
        return sent.get();
    }

    /** Lines waiting to be sent. */
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    private void run() {
        Duration backoff = FLUSH_EVERY;
        while (true) {
            List<Line> batch;
            synchronized (queue) {
                if (queue.isEmpty() && !closing) {
                    try {
                        queue.wait(FLUSH_EVERY.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty()) {
                    if (closing) return;
                    continue;
                }
                batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
                while (!queue.isEmpty() && batch.size() < MAX_BATCH) batch.add(queue.pollFirst());
            }
            if (post(batch)) {
                sent.addAndGet(batch.size());
                backoff = FLUSH_EVERY;
                continue;
            }
            if (closing) return;
            requeue(batch);
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /** Puts a batch that failed back at the head of the queue, as far as there is room, keeping the order. */
    private void requeue(List<Line> batch) {
        synchronized (queue) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                if (queue.size() >= capacity) {
                    dropped.addAndGet(i + 1);
                    break;
                }
                queue.addFirst(batch.get(i));
            }
        }
    }

    private boolean post(List<Line> batch) {
        try {
            HttpRequest request = api.request("/internal/logs", Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(batch)))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            if (status / 100 == 2) return true;
            if (status / 100 == 4 && status != 429) {
                // The api-server will never take this batch (bad request, wrong token): retrying would loop.
                LOG.warning("api-server refused " + batch.size() + " log lines with HTTP " + status + "; dropped");
                dropped.addAndGet(batch.size());
                return true;
            }
            LOG.fine("log post answered HTTP " + status);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.log(Level.FINE, "log post failed", e);
            return false;
        }
    }

    /** Sends what is queued (waiting up to five seconds for the api-server), then stops. */
    @Override
    public void close() {
        closing = true;
        synchronized (queue) {
            queue.notifyAll();
        }
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.interrupt();
    }

    /** One queued line; strings as the caller gave them. */
    private static final class Line {
        final String appId;
        final String source;
        final String dyno;
        final String message;
        final long epochMicros;

        Line(String appId, String source, String dyno, String message, long epochMicros) {
            this.appId = appId;
            this.source = source;
            this.dyno = dyno;
            this.message = message;
            this.epochMicros = epochMicros;
        }
    }

    // Sender thread only: the last second formatted ("2026-11-22T05:06:27."), reused for all lines within it.
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText = "";

    /** {@code {"lines":[{"app_id":..,"source":..,"dyno":..,"time":..,"message":..},...]}} */
    private String body(List<Line> batch) {
        StringBuilder b = new StringBuilder(64 + batch.size() * 256);
        b.append("{\"lines\":[");
        for (int i = 0; i < batch.size(); i++) {
            Line l = batch.get(i);
            if (i > 0) b.append(',');
            b.append("{\"app_id\":");
            Json.appendString(b, l.appId);
            b.append(",\"source\":");
            Json.appendString(b, l.source);
            b.append(",\"dyno\":");
            Json.appendString(b, l.dyno);
            b.append(",\"time\":\"");
            time(b, l.epochMicros);
            b.append("\",\"message\":");
            Json.appendString(b, l.message);
            b.append('}');
        }
        return b.append("]}").toString();
    }

    /** ISO-8601 UTC with microseconds, e.g. {@code 2026-11-22T05:06:27.123456Z}. */
    private void time(StringBuilder b, long epochMicros) {
        long second = Math.floorDiv(epochMicros, 1_000_000L);
        int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
        if (second != cachedSecond) {
            String iso = Instant.ofEpochSecond(second).toString(); // ends in "Z", no fraction at whole seconds
            cachedSecondText = iso.substring(0, iso.length() - 1) + ".";
            cachedSecond = second;
        }
        b.append(cachedSecondText);
        for (int div = 100_000; div > 0; div /= 10) b.append((char) ('0' + micros / div % 10));
        b.append('Z');
    }
}
