package io.slipway.shared.events;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.Flow;

/**
 * A running {@link EventStreamClient#follow} (see there). One daemon thread per subscription reads the
 * stream and calls the handler; {@link #close()} stops it.
 */
public final class EventSubscription implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventSubscription.class.getName());
    /** Lines the HTTP client may buffer ahead of the handler: backpressure for long catch-ups. */
    private static final int PREFETCH = 64;
    private static final int MAX_BACKOFF_DOUBLINGS = 16;

    private final EventStreamClient client;
    private final EventHandler handler;
    private final Thread thread;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private volatile long lastSeq;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Connection current;

    EventSubscription(EventStreamClient client, long afterSeq, EventHandler handler) {
        this.client = client;
        this.handler = handler;
        this.lastSeq = afterSeq;
        this.thread = new Thread(this::run, "slipway-event-stream");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The seq of the last event the handler accepted (or the starting point): where a reconnect resumes. */
    public long lastSeq() {
        return lastSeq;
    }

    /** Whether a stream is open right now. */
    public boolean isConnected() {
        return connected;
    }

    /** How many times a stream has been opened (1 after the first connect; grows with every reconnect). */
    public long connectionCount() {
        return connections.get();
    }

    /** How many attempts to open a stream have failed (refused, unreachable, an error status) so far. */
    public long failedAttemptCount() {
        return failedAttempts.get();
    }

    /** Stops following; waits briefly for the handler to return unless called from the handler itself. */
    @Override
    public void close() {
        closed = true;
        Connection c = current;
        if (c != null) c.cancel();
        if (Thread.currentThread() != thread) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            Connection connection = new Connection();
            current = connection;
            boolean healthy = false;
            try {
                healthy = stream(connection);
            } catch (InterruptedException e) {
                if (closed) break;
            } catch (java.io.IOException e) {
                // the api-server is down or unreachable: expected during restarts, one line is enough
                if (!closed) LOG.log(System.Logger.Level.WARNING, "event stream: " + e);
            } catch (Exception e) {
                if (!closed) LOG.log(System.Logger.Level.WARNING, "event stream: " + e, e);
            } finally {
                connected = false;
                connection.cancel();
                current = null;
            }
            if (closed) break;
            if (!healthy) failedAttempts.incrementAndGet();
            failures = healthy ? 0 : Math.min(failures + 1, MAX_BACKOFF_DOUBLINGS);
            try {
                Thread.sleep(delay(failures));
            } catch (InterruptedException e) {
                if (closed) break;
            }
        }
    }

    /** Exponential backoff with jitter, so many followers do not reconnect to a restarted server in lockstep. */
    private long delay(int failures) {
        long initial = client.initialBackoff().toMillis();
        long max = client.maxBackoff().toMillis();
        long base = failures == 0 ? initial : Math.min(max, initial << Math.min(failures, MAX_BACKOFF_DOUBLINGS));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** One connection; true when it was established (a later end is a normal reconnect, not a failure). */
    private boolean stream(Connection connection) throws Exception {
        HttpResponse.BodyHandler<Void> bodyHandler = info -> {
            connection.items.add(new Status(info.statusCode()));
            if (info.statusCode() != 200) return HttpResponse.BodySubscribers.discarding();
            return HttpResponse.BodySubscribers.fromLineSubscriber(connection, s -> null, StandardCharsets.UTF_8, null);
        };
        client.http().sendAsync(client.streamRequest(lastSeq), bodyHandler).whenComplete((r, error) -> {
            if (error != null) connection.items.add(new End(error));
        });
        long idleMillis = client.idleTimeout().toMillis();
        Object first = connection.items.poll(idleMillis, TimeUnit.MILLISECONDS);
        if (first == null) throw new java.io.IOException("no response within " + client.idleTimeout());
        if (first instanceof End end) throw asException(end.error());
        int status = ((Status) first).code();
        if (status != 200) {
            LOG.log(System.Logger.Level.WARNING, "event stream answered HTTP " + status
                    + (status == 401 ? " (check the component token)" : status == 403 ? " (this token's role may not follow"
                    + " events)" : status == 404 ? " (is this the api-server's internal listener?)" : ""));
            return false;
        }
        connected = true;
        connections.incrementAndGet();
        SseParser parser = new SseParser();
        while (!closed) {
            Object item = connection.items.poll(idleMillis, TimeUnit.MILLISECONDS);
            if (item == null) {
                LOG.log(System.Logger.Level.INFO, "event stream silent for " + client.idleTimeout() + "; reconnecting");
                return true;
            }
            if (item instanceof End) return true;
            if (!(item instanceof String line)) continue;
            connection.consumed();
            SseParser.Frame frame = parser.line(line);
            if (frame == null) continue;
            Event event;
            try {
                event = Event.parse(frame.data());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "event stream: unreadable event " + frame.id() + ": " + e.getMessage());
                return false;
            }
            if (event.seq() <= lastSeq) continue;
            try {
                handler.onEvent(event);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "event handler failed on " + event.type() + " #" + event.seq()
                        + "; reconnecting to retry it", e);
                return false;
            }
            lastSeq = event.seq();
        }
        return true;
    }

    private static Exception asException(Throwable t) {
        if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        return t instanceof Exception e ? e : new RuntimeException(t);
    }

    private record Status(int code) {}

    private record End(Throwable error) {}

    /** Receives the body's lines from the HTTP client's threads; the subscription thread takes them. */
    private static final class Connection implements Flow.Subscriber<String> {
        final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) s.cancel();
            else s.request(PREFETCH);
        }

        @Override
        public void onNext(String line) {
            items.add(line);
        }

        @Override
        public void onError(Throwable t) {
            items.add(new End(t));
        }

        @Override
        public void onComplete() {
            items.add(new End(null));
        }

        void consumed() {
            Flow.Subscription s = subscription;
            if (s != null) s.request(1);
        }

        /** Drops the connection (the HTTP client closes the socket when the body subscription is cancelled). */
        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
            items.add(new End(null));
        }
    }
}
