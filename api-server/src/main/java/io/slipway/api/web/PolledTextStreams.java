package io.slipway.api.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Plain-text responses that follow something stored in the database (a build's output, a release phase's output)
 * for {@code output_stream_url} readers. Each open stream is a small task on a shared, bounded scheduler (not a
 * thread per reader): every {@code poll} it asks its {@link Source} for what is new and sends it; when the source
 * says it is done, the response ends. Polling the table keeps it right across api-server replicas.
 *
 * <p>Limits: at most {@code maxStreams} streams at once on this replica, and none outlives its cap; both end the
 * response, never a thread.
 */
public final class PolledTextStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PolledTextStreams.class);
    public static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);

    /** One reader's view of what it follows: what is new since its last look, and whether that is all. */
    public interface Source {
        Look look();
    }

    /** {@code text} to send now (may be empty); {@code done} when nothing will follow it. */
    public record Look(String text, boolean done) {}

    private final ScheduledExecutorService scheduler;
    private final Duration poll;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();

    public PolledTextStreams(String threadName, int threads, Duration poll, int maxStreams) {
        this.poll = poll;
        this.maxStreams = maxStreams;
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A response body following {@code source} for at most {@code capMillis}; null when this replica already serves
     * as many streams as it may. {@code what} names the thing in log lines; {@code onEnd} runs once when it ends.
     */
    public ResponseBodyEmitter follow(long capMillis, Source source, String what, Runnable onEnd) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return null;
        }
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(capMillis);
        Follower follower = new Follower(source, what, emitter, onEnd);
        emitter.onCompletion(follower::stop);
        emitter.onError(e -> follower.stop());
        emitter.onTimeout(() -> {
            follower.stop();
            emitter.complete();
        });
        follower.future.set(scheduler.scheduleWithFixedDelay(follower, 0, poll.toMillis(), TimeUnit.MILLISECONDS));
        return emitter;
    }

    /** Streams served now by this replica. */
    public int open() {
        return open.get();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private final class Follower implements Runnable {
        private final Source source;
        private final String what;
        private final ResponseBodyEmitter emitter;
        private final Runnable onEnd;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
        private boolean started;

        Follower(Source source, String what, ResponseBodyEmitter emitter, Runnable onEnd) {
            this.source = source;
            this.what = what;
            this.emitter = emitter;
            this.onEnd = onEnd;
        }

        @Override
        public void run() {
            if (stopped.get()) {
                cancel();
                return;
            }
            try {
                Look look = source.look();
                if (!look.text().isEmpty() || !started) {
                    // the status line and headers go out with the first write: make one at once, so the reader
                    // knows the stream is open even when nothing has been printed yet
                    emitter.send(look.text(), TEXT_UTF8);
                    started = true;
                }
                if (look.done()) {
                    stop();
                    emitter.complete();
                }
            } catch (IOException | IllegalStateException e) {
                stop(); // the reader went away (or the response already ended): nothing to tell anyone
            } catch (RuntimeException e) {
                log.warn("Output stream of {} failed: {}", what, e.toString());
                stop();
                emitter.completeWithError(e);
            }
        }

        void stop() {
            if (stopped.compareAndSet(false, true)) {
                open.decrementAndGet();
                onEnd.run();
            }
            cancel();
        }

        private void cancel() {
            ScheduledFuture<?> f = future.get();
            if (f != null) f.cancel(false);
        }
    }
}
