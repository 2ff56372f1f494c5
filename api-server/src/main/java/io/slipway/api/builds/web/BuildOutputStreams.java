package io.slipway.api.builds.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.builds.Build;
import io.slipway.api.builds.BuildOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * Follows builds' output for {@code output_stream_url} readers. Each open stream is a small task on a shared,
 * bounded scheduler (not a thread per reader): every {@code output-poll-interval} it sends the chunks stored
 * since its last look, and once the build has finished and every chunk is out it ends the response. Polling
 * the table keeps it right across api-server replicas (the worker may post to any of them).
 *
 * <p>Limits: at most {@code max-output-streams} streams at once on this replica, and no stream outlives the
 * build timeout plus a lease and five minutes; both end the response, never a thread.
 */
@Component
public class BuildOutputStreams implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(BuildOutputStreams.class);
    static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);
    private static final int CHUNKS_PER_LOOK = 200;
    private final BuildOutput output;
    private final ScheduledExecutorService scheduler;
    private final Duration poll;
    private final long capMillis;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();

    public BuildOutputStreams(BuildOutput output, ApiServerConfig config) {
        this.output = output;
        ApiServerConfig.Builds b = config.builds();
        this.poll = b.outputPollInterval();
        this.capMillis = Duration.ofSeconds((long) b.timeoutSeconds() + b.leaseSeconds()).plusMinutes(5).toMillis();
        this.maxStreams = b.maxOutputStreams();
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "build-output-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A response body following the build; null when this replica already serves as many streams as it may. */
    public ResponseBodyEmitter follow(UUID buildId, Runnable onEnd) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return null;
        }
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(capMillis);
        Follower follower = new Follower(buildId, emitter, onEnd);
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
    public void destroy() {
        scheduler.shutdownNow();
    }

    private final class Follower implements Runnable {
        private final UUID buildId;
        private final ResponseBodyEmitter emitter;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
        private int seq;
        private boolean started;
        private final Runnable onEnd;

        Follower(UUID buildId, ResponseBodyEmitter emitter, Runnable onEnd) {
            this.onEnd = onEnd;
            this.buildId = buildId;
            this.emitter = emitter;
        }

        @Override
        public void run() {
            if (stopped.get()) {
                cancel();
                return;
            }
            try {
                // status BEFORE chunks: a chunk is never stored after its build finished, so when the status
                // read here is final, the chunks read next are all there will ever be
                String status = output.status(buildId);
                List<BuildOutput.Chunk> chunks = output.after(buildId, seq, CHUNKS_PER_LOOK);
                if (!chunks.isEmpty()) {
                    StringBuilder text = new StringBuilder();
                    for (BuildOutput.Chunk c : chunks) text.append(c.text());
                    emitter.send(text.toString(), TEXT_UTF8);
                    seq = chunks.get(chunks.size() - 1).seq();
                    started = true;
                } else if (!started) {
                    // the status line and headers go out with the first write: make one now, so the reader
                    // knows the stream is open even when the build has printed nothing yet
                    emitter.send("", TEXT_UTF8);
                    started = true;
                }
                boolean more = chunks.size() == CHUNKS_PER_LOOK;
                if (!more && (status == null || !Build.PENDING.equals(status))) {
                    stop();
                    emitter.complete();
                }
            } catch (IOException | IllegalStateException e) {
                // the reader went away (or the response already ended): nothing to tell anyone
                stop();
            } catch (RuntimeException e) {
                log.warn("Output stream of build {} failed: {}", buildId, e.toString());
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
