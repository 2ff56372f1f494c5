package io.slipway.api.logs.drains;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one drain's frames on its own thread, so a slow or unreachable receiver never holds up ingest nor
 * other drains. Frames wait in a bounded queue; when it is full the oldest are dropped, counted and logged
 * (at most every 30 s). A failed delivery is retried after a growing pause (0.5 s doubling to 30 s) with the
 * connection opened afresh. A sender with nothing to do for the idle timeout closes and ends its thread.
 */
abstract class DrainSender implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DrainSender.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long DROP_LOG_EVERY_NANOS = Duration.ofSeconds(30).toNanos();
    /** Frames per delivery at most. */
    static final int BATCH = 500;

    final String drainId;
    final String url;
    private final int capacity;
    private final long idleMillis;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private long droppedLogged;
    private long lastDropLog;
    private boolean closed;
    private final java.util.function.Consumer<DrainSender> onClose;

    DrainSender(String drainId, String url, int capacity, Duration idle, java.util.function.Consumer<DrainSender> onClose) {
        this.drainId = drainId;
        this.url = url;
        this.capacity = capacity;
        this.idleMillis = Math.max(1, idle.toMillis());
        this.onClose = onClose;
    }

    /** Queues frames; false when this sender has closed (the caller makes a new one). */
    synchronized boolean offer(List<String> frames) {
        if (closed) return false;
        for (String f : frames) {
            if (queue.size() >= capacity) {
                queue.poll();
                dropped.incrementAndGet();
            }
            queue.add(f);
        }
        notifyAll();
        return true;
    }

    /** Deliveries that failed so far (each is retried). */
    long failures() {
        return failures.get();
    }

    @Override
    public void run() {
        long backoff = 0;
        List<String> batch = List.of();
        try {
            while (true) {
                if (batch.isEmpty()) {
                    batch = take();
                    if (batch == null) return; // idle: closed
                }
                reportDrops();
                try {
                    deliver(batch);
                    batch = List.of();
                    backoff = 0;
                } catch (Exception e) {
                    failures.incrementAndGet();
                    disconnect();
                    backoff = backoff == 0 ? 500 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                    log.warn("Log drain {} ({}): delivery failed ({}); retrying in {} ms", drainId, redacted(), e.toString(), backoff);
                    Thread.sleep(backoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                closed = true;
            }
            disconnect();
            onClose.accept(this);
        }
    }

    /** The next batch, or null after the idle timeout with nothing queued (the sender is then closed). */
    private synchronized List<String> take() throws InterruptedException {
        long deadline = System.currentTimeMillis() + idleMillis;
        while (queue.isEmpty()) {
            if (closed) return null;
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                closed = true;
                return null;
            }
            wait(left);
        }
        List<String> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
        while (!queue.isEmpty() && batch.size() < BATCH) batch.add(queue.poll());
        return batch;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void reportDrops() {
        long d = dropped.get();
        if (d > droppedLogged && System.nanoTime() - lastDropLog > DROP_LOG_EVERY_NANOS) {
            log.warn("Log drain {} ({}): dropped {} line(s) so far because it could not keep up", drainId, redacted(), d);
            droppedLogged = d;
            lastDropLog = System.nanoTime();
        }
    }

    /** The URL without credentials, for logs. */
    String redacted() {
        return url.replaceAll("//[^/@]*@", "//***@");
    }

    /** Sends the frames; throws when they may not have arrived (they are sent again after a pause). */
    abstract void deliver(List<String> frames) throws Exception;

    /** Drops the connection, if any: the next delivery opens a new one. */
    abstract void disconnect();
}
