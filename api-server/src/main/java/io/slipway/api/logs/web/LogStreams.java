package io.slipway.api.logs.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.logs.LogLine;
import io.slipway.api.logs.LogLines;
import io.slipway.api.logs.LogSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The log streams ({@code logplex_url}s) this replica serves. Each stream is a small periodic task on a
 * shared two-thread scheduler, not a thread per reader, and holds no database connection between looks:
 * the first look sends the backlog (or, for a reconnect with {@code Last-Event-ID}, the lines after it); a
 * stream without tail then ends; a tail stream looks for new lines every {@code poll-interval} (the table is
 * the truth across replicas, whichever one ingested the line) and sends {@code : keepalive} when it has been
 * quiet for {@code keepalive}. At most {@code max-streams} at once; none outlives {@code tail-session-ttl}.
 * When the server shuts down every stream ends first (the CLI reconnects, to a replica that stays up), so
 * the graceful shutdown does not wait for tails that never end.
 *
 * <p>Wire format per line, as the CLI's eventsource reader expects: {@code id: <seq>}, then one
 * {@code data: } line per line of the rendered log line, then a blank line.
 */
@Component
public class LogStreams implements DisposableBean, SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LogStreams.class);
    static final MediaType EVENT_STREAM_UTF8 = new MediaType("text", "event-stream", StandardCharsets.UTF_8);
    private static final int LINES_PER_LOOK = 500;
    private final LogLines lines;
    private final ScheduledExecutorService scheduler;
    private final ApiServerConfig.Logs config;
    private final AtomicInteger open = new AtomicInteger();
    private final java.util.Set<Follower> followers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    public LogStreams(LogLines lines, ApiServerConfig config) {
        this.lines = lines;
        this.config = config.logs();
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "log-stream-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A response body for the session; {@code lastEventId} non-null resumes after that seq instead of sending
     * the backlog. Null when this replica already serves as many streams as it may.
     */
    public ResponseBodyEmitter follow(LogSession session, Long lastEventId, Runnable onEnd) {
        if (!running) return null; // shutting down
        if (open.incrementAndGet() > config.maxStreams()) {
            open.decrementAndGet();
            return null;
        }
        Duration cap = session.tail() ? config.tailSessionTtl() : Duration.ofMinutes(1);
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(cap.plusSeconds(30).toMillis());
        Follower follower = new Follower(session, lastEventId, emitter, System.nanoTime() + cap.toNanos(), onEnd);
        followers.add(follower);
        emitter.onCompletion(follower::stop);
        emitter.onError(e -> follower.stop());
        emitter.onTimeout(() -> {
            follower.stop();
            emitter.complete();
        });
        follower.future.set(scheduler.scheduleWithFixedDelay(follower, 0, config.pollInterval().toMillis(),
                TimeUnit.MILLISECONDS));
        return emitter;
    }

    /** Streams served now by this replica. */
    public int open() {
        return open.get();
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (Follower f : followers) f.end();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    static String event(LogLine line) {
        StringBuilder b = new StringBuilder(line.message().length() + 64);
        b.append("id: ").append(line.seq()).append('\n');
        for (String part : line.render().split("\r\n|\r|\n", -1)) b.append("data: ").append(part).append('\n');
        return b.append('\n').toString();
    }

    private final class Follower implements Runnable {
        private final LogSession session;
        private final ResponseBodyEmitter emitter;
        private final long endNanos;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
        private Long cursor;
        private long lastWrite = System.nanoTime();
        private final Runnable onEnd;

        Follower(LogSession session, Long lastEventId, ResponseBodyEmitter emitter, long endNanos, Runnable onEnd) {
            this.onEnd = onEnd;
            this.session = session;
            this.cursor = lastEventId;
            this.emitter = emitter;
            this.endNanos = endNanos;
        }

        @Override
        public void run() {
            if (stopped.get()) {
                cancel();
                return;
            }
            try {
                boolean first = false;
                List<LogLine> batch;
                if (cursor == null) {
                    // the position is read before the backlog, so a line stored meanwhile comes next, not never
                    long upTo = lines.lastSeq(session.appId());
                    batch = lines.backlog(session.appId(), session.filter(), upTo, session.lines());
                    cursor = upTo;
                    first = true;
                } else {
                    batch = lines.after(session.appId(), session.filter(), cursor, LINES_PER_LOOK);
                    if (!batch.isEmpty()) cursor = batch.get(batch.size() - 1).seq();
                }
                if (!batch.isEmpty()) {
                    StringBuilder text = new StringBuilder();
                    for (LogLine l : batch) text.append(event(l));
                    send(text.toString());
                } else if (first && session.tail()) {
                    send(": connected\n\n"); // the response starts now, even with nothing to show yet
                }
                boolean more = batch.size() == LINES_PER_LOOK && !first;
                if (!session.tail() && !more) {
                    end();
                } else if (System.nanoTime() - endNanos > 0) {
                    end(); // the CLI reconnects with Last-Event-ID while the session lasts
                } else if (System.nanoTime() - lastWrite > config.keepalive().toNanos()) {
                    send(": keepalive\n\n");
                }
            } catch (IOException | IllegalStateException e) {
                stop(); // the reader went away, or the response already ended
            } catch (RuntimeException e) {
                log.warn("Log stream of app {} failed: {}", session.appId(), e.toString());
                stop();
                emitter.completeWithError(e);
            }
        }

        private void send(String text) throws IOException {
            emitter.send(text, EVENT_STREAM_UTF8);
            lastWrite = System.nanoTime();
        }

        private void end() {
            stop();
            emitter.complete();
        }

        void stop() {
            if (stopped.compareAndSet(false, true)) {
                open.decrementAndGet();
                onEnd.run();
            }
            followers.remove(this);
            cancel();
        }

        private void cancel() {
            ScheduledFuture<?> f = future.get();
            if (f != null) f.cancel(false);
        }
    }
}
