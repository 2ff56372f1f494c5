package io.slipway.api.events.web;

import io.slipway.api.events.EventNotifications;
import io.slipway.api.events.EventReader;
import io.slipway.api.events.StoredEvent;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.ObjectMapper;

/**
 * The followers connected to this api-server process: server-sent-event streams and long polls. None of
 * them holds a thread or a database connection while idle. {@link EventNotifications} wakes them all when
 * events commit (on any replica); each woken follower then reads the rows after its cursor with one pooled
 * query on a small worker pool, and sends them. A keepalive comment goes to every stream every 15 s
 * ({@code slipway.events.keepalive-seconds}), which also detects clients that went away.
 */
@Component
public class EventFollowers implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EventFollowers.class);
    static final int STREAM_BATCH = 500;
    public static final int POLL_LIMIT = 1000;
    private static final int WORKERS = 4;

    private final EventReader reader;
    private final SharedReads shared;
    private final EventNotifications notifications;
    private final ObjectMapper mapper;
    private final long keepaliveSeconds;
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final Set<Poll> polls = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, daemon("slipway-event-sender"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("slipway-event-timer"));
    private volatile boolean running;
    private Runnable unsubscribe;

    /** @param keepaliveSeconds {@code slipway.events.keepalive-seconds}, default 15 */
    public EventFollowers(EventReader reader, EventNotifications notifications, ObjectMapper mapper,
                          @Value("${slipway.events.keepalive-seconds:15}") long keepaliveSeconds) {
        this.reader = reader;
        this.shared = new SharedReads(reader);
        this.notifications = notifications;
        this.mapper = mapper;
        this.keepaliveSeconds = Math.max(1, keepaliveSeconds);
    }

    /** A stream of every event after {@code after}, then of new ones as they commit, until the client leaves. */
    public SseEmitter stream(long after) {
        SseEmitter emitter = new SseEmitter(0L); // no timeout: keepalives keep proxies and clients content
        Stream stream = new Stream(emitter, after);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(e -> stream.close());
        streams.add(stream);
        if (!running) {
            // shutting down: end at once, so the client reconnects to a replica that stays up
            stream.close();
            emitter.complete();
            return emitter;
        }
        try {
            // sent at once so the client sees the response start even when there is nothing to catch up on
            emitter.send(SseEmitter.event().comment(" connected"));
        } catch (IOException e) {
            stream.close();
            return emitter;
        }
        stream.wake();
        return emitter;
    }

    /** The events after {@code after} (at most {@link #POLL_LIMIT}), as soon as there is one, or [] after the wait. */
    public DeferredResult<List<EventJson>> poll(long after, long waitSeconds) {
        DeferredResult<List<EventJson>> result = new DeferredResult<>(TimeUnit.SECONDS.toMillis(waitSeconds + 30));
        Poll poll = new Poll(after, result);
        result.onCompletion(poll::forget);
        result.onTimeout(() -> poll.finish(List.of()));
        polls.add(poll);
        if (!running) {
            poll.expire();
            return result;
        }
        poll.timeout = timer.schedule(poll::expire, waitSeconds, TimeUnit.SECONDS);
        poll.wake();
        return result;
    }

    /** Open streams on this process (diagnostics). */
    public int streamCount() {
        return streams.size();
    }

    /** Long polls on this process that looked, found nothing and wait for a commit (diagnostics). */
    public int waitingPollCount() {
        return (int) polls.stream().filter(p -> p.waiting).count();
    }

    private void wakeAll() {
        shared.newGeneration();
        streams.forEach(Stream::wake);
        polls.forEach(Poll::wake);
    }

    private void keepalive() {
        boolean poll = !notifications.isListening(); // nobody will wake us: look for ourselves
        if (poll) shared.newGeneration();
        for (Stream s : streams) {
            workers.execute(() -> s.keepalive(poll));
        }
        if (poll) polls.forEach(Poll::wake);
    }

    private String render(StoredEvent e) {
        return mapper.writeValueAsString(EventJson.of(e, mapper));
    }

    @Override
    public synchronized void start() {
        if (running) return;
        running = true;
        unsubscribe = notifications.subscribe(this::wakeAll);
        timer.scheduleWithFixedDelay(this::keepalive, keepaliveSeconds, keepaliveSeconds, TimeUnit.SECONDS);
    }

    /** Ends every stream before the web server's graceful shutdown waits for open requests. */
    @Override
    public synchronized void stop() {
        running = false;
        if (unsubscribe != null) unsubscribe.run();
        for (Stream s : streams) {
            s.close();
            s.emitter.complete();
        }
        for (Poll p : polls) p.finish(List.of());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @PreDestroy
    void shutdownThreads() {
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs a follower's work on the worker pool, never twice at once, and again if woken meanwhile:
     * 0 = idle, 1 = running, more = woken while running.
     */
    private abstract class Worker {
        private final AtomicInteger state = new AtomicInteger();

        final void wake() {
            if (state.getAndIncrement() == 0) {
                try {
                    workers.execute(this::runLoop);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    state.set(0); // shutting down
                }
            }
        }

        private void runLoop() {
            do {
                state.set(1);
                if (!work()) return;
            } while (!state.compareAndSet(1, 0));
        }

        /** Returns false when the follower is finished and must not run again. */
        abstract boolean work();
    }

    private final class Stream extends Worker {
        final SseEmitter emitter;
        private volatile long cursor;
        private volatile boolean closed;
        private volatile boolean retry;

        Stream(SseEmitter emitter, long after) {
            this.emitter = emitter;
            this.cursor = after;
        }

        @Override
        boolean work() {
            if (closed) return false;
            try {
                long wokenAt = shared.generation();
                while (!closed) {
                    List<StoredEvent> batch = shared.after(cursor, STREAM_BATCH, wokenAt);
                    for (StoredEvent e : batch) {
                        emitter.send(SseEmitter.event().id(Long.toString(e.seq())).name(e.type()).data(render(e)));
                        cursor = e.seq();
                    }
                    if (batch.size() < STREAM_BATCH) break;
                }
                retry = false;
            } catch (IOException | IllegalStateException e) {
                close(); // the client went away (or the emitter was completed)
                return false;
            } catch (DataAccessException e) {
                log.warn("reading events for a follower failed ({}); retrying at the next keepalive", e.getMessage());
                retry = true;
            }
            return !closed;
        }

        void keepalive(boolean poll) {
            if (closed) return;
            try {
                emitter.send(SseEmitter.event().comment(" keepalive"));
            } catch (IOException | IllegalStateException e) {
                close();
                return;
            }
            if (poll || retry) wake();
        }

        void close() {
            closed = true;
            streams.remove(this);
        }
    }

    private final class Poll extends Worker {
        private final long after;
        private final DeferredResult<List<EventJson>> result;
        private final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;
        volatile boolean waiting;

        Poll(long after, DeferredResult<List<EventJson>> result) {
            this.after = after;
            this.result = result;
        }

        @Override
        boolean work() {
            if (done.get()) return false;
            try {
                List<StoredEvent> events = reader.after(after, POLL_LIMIT);
                if (!events.isEmpty()) {
                    finish(events);
                    return false;
                }
                waiting = true;
            } catch (DataAccessException e) {
                if (done.compareAndSet(false, true)) {
                    forget();
                    result.setErrorResult(e);
                }
                return false;
            }
            return true;
        }

        /** The wait is over: answer with whatever there is now, possibly nothing. */
        void expire() {
            try {
                workers.execute(() -> {
                    try {
                        finish(reader.after(after, POLL_LIMIT));
                    } catch (DataAccessException e) {
                        if (done.compareAndSet(false, true)) {
                            forget();
                            result.setErrorResult(e);
                        }
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                finish(List.of());
            }
        }

        void finish(List<StoredEvent> events) {
            if (!done.compareAndSet(false, true)) return;
            forget();
            result.setResult(events.stream().map(e -> EventJson.of(e, mapper)).toList());
        }

        void forget() {
            polls.remove(this);
            ScheduledFuture<?> t = timeout;
            if (t != null) t.cancel(false);
        }
    }
}
