package io.slipway.shared.logs;

import io.slipway.shared.internalapi.InternalTransport;
import java.net.URI;
import java.net.http.HttpClient;
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
 * as a small object holding the caller's strings (or, for the router, the facts of the line as a
 * {@link LogMessage}, formatted later) and the time as epoch microseconds. The sender thread writes the JSON body
 * straight into one reused byte array ({@link LogBatchBody}): each line's text is formatted, escaped and encoded
 * there in one pass. The same thread then posts the array and waits for the answer
 * ({@link InternalTransport#postBlocking}: no other thread wakes for it, see there why).
 */
public final class LogShipper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogShipper.class.getName());
    public static final int DEFAULT_CAPACITY = 20_000;
    private static final int MAX_BATCH = 1_000;
    private static final Duration FLUSH_EVERY = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final int MAX_KEPT_BODY = 4 << 20;

    private final InternalTransport api;
    private final int capacity;
    private final ArrayDeque<Line> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread sender;
    private volatile boolean closing;
    private LogBatchBody body = new LogBatchBody(); // sender thread only, reused from post to post

    public LogShipper(URI apiUrl, String internalToken, HttpClient http) {
        this(apiUrl, internalToken, http, DEFAULT_CAPACITY);
    }

    public LogShipper(URI apiUrl, String internalToken, HttpClient http, int capacity) {
        this.api = new InternalTransport(apiUrl, internalToken, http);
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
        enqueue(new Line(appId, null, source, dyno, message == null ? "" : message, null, epochMicros));
    }

    /**
     * The cheapest path, for the router's line per request: nothing is formatted on the caller's thread, the
     * message is written by {@code message} on the sender thread, straight into the request body (so what it
     * reads must not change once queued), and the app id is written from the UUID's bits.
     */
    public void ship(UUID appId, String source, String dyno, LogMessage message, long epochMicros) {
        if (appId == null || message == null || closing) return;
        enqueue(new Line(null, appId, source, dyno, null, message, epochMicros));
    }

    private void enqueue(Line line) {
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
        // the post writes on this thread and is done with the array when it returns, whatever happened
        LogBatchBody b = body;
        try {
            b.begin();
            for (Line l : batch) {
                if (!l.writeTo(b)) dropped.incrementAndGet();
            }
            b.end();
            int status = api.postBlocking("/internal/logs", "application/json", b.bytes(), b.length(),
                    Duration.ofSeconds(10));
            if (status / 100 == 2) return true;
            if (status / 100 == 4 && status != 429) {
                // The api-server will never take this batch (bad request, wrong token): retrying would loop.
                LOG.warning("api-server refused " + batch.size() + " log lines with HTTP " + status + "; dropped");
                dropped.addAndGet(batch.size());
                return true;
            }
            LOG.fine("log post answered HTTP " + status);
            return false;
        } catch (Exception e) {
            LOG.log(Level.FINE, "log post failed", e);
            return false;
        } finally {
            if (b.capacity() > MAX_KEPT_BODY) body = new LogBatchBody(); // a batch of huge lines gives its memory back
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

    /** One queued line: the caller's strings, or its {@link LogMessage} and the app's UUID (the router's). */
    private static final class Line {
        final String appIdText;
        final UUID appId;
        final String source;
        final String dyno;
        final String message;
        final LogMessage lazy;
        final long epochMicros;

        Line(String appIdText, UUID appId, String source, String dyno, String message, LogMessage lazy,
             long epochMicros) {
            this.appIdText = appIdText;
            this.appId = appId;
            this.source = source;
            this.dyno = dyno;
            this.message = message;
            this.lazy = lazy;
            this.epochMicros = epochMicros;
        }

        boolean writeTo(LogBatchBody b) {
            return b.line(appIdText, appId, source, dyno, epochMicros, message, lazy);
        }
    }
}
