package io.slipway.api.releases.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.releases.Release;
import io.slipway.api.releases.phase.ReleaseOutput;
import io.slipway.api.releases.phase.ReleasePhaseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
 * Follows release phases' output for {@code output_stream_url} readers, as {@code builds.web.BuildOutputStreams}
 * does for builds: a small task per reader on a shared, bounded scheduler, polling the table (right across
 * api-server replicas). It sends the release dyno's {@code app} lines as text and ends the response once the
 * release phase has ended and the dyno's exit line was read (after it, nothing of the process is in flight),
 * or {@code output-grace} after it ended when there is no exit line (a dyno that never started, a timeout).
 */
@Component
public class ReleaseOutputStreams implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(ReleaseOutputStreams.class);
    static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);
    private static final int LINES_PER_LOOK = 500;
    private final ReleaseOutput output;
    private final ScheduledExecutorService scheduler;
    private final Duration poll;
    private final Duration grace;
    private final long capMillis;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();

    public ReleaseOutputStreams(ReleaseOutput output, ApiServerConfig config, ReleasePhaseConfig phase) {
        this.output = output;
        this.poll = config.builds().outputPollInterval();
        this.maxStreams = config.builds().maxOutputStreams();
        this.grace = phase.outputGrace();
        this.capMillis = phase.timeout().plus(phase.outputGrace()).plusMinutes(5).toMillis();
        AtomicInteger n = new AtomicInteger();
        this.scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "release-output-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A response body following the release phase; null when this replica already serves as many as it may. */
    public ResponseBodyEmitter follow(UUID releaseId, Runnable onEnd) {
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return null;
        }
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(capMillis);
        Follower follower = new Follower(releaseId, emitter, onEnd);
        emitter.onCompletion(follower::stop);
        emitter.onError(e -> follower.stop());
        emitter.onTimeout(() -> {
            follower.stop();
            emitter.complete();
        });
        follower.future.set(scheduler.scheduleWithFixedDelay(follower, 0, poll.toMillis(), TimeUnit.MILLISECONDS));
        return emitter;
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }

    private final class Follower implements Runnable {
        private final UUID releaseId;
        private final ResponseBodyEmitter emitter;
        private final Runnable onEnd;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicReference<ScheduledFuture<?>> future = new AtomicReference<>();
        private long seq;
        private boolean started;
        private boolean exited;

        Follower(UUID releaseId, ResponseBodyEmitter emitter, Runnable onEnd) {
            this.releaseId = releaseId;
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
                // the state BEFORE the lines: when it says ended, the lines read next include the exit line
                // (the agent logs it before it reports the dyno down), unless there never was one
                ReleaseOutput.State state = output.state(releaseId);
                if (state == null) {
                    stop();
                    emitter.complete();
                    return;
                }
                List<ReleaseOutput.Line> lines = output.after(state.appId(), state.version(), seq, LINES_PER_LOOK);
                StringBuilder text = new StringBuilder();
                for (ReleaseOutput.Line l : lines) {
                    seq = l.seq();
                    if (l.output()) text.append(l.message()).append('\n');
                    if (l.exited()) exited = true;
                }
                if (!text.isEmpty() || !started) {
                    // the first write sends the status line and headers, so the reader knows the stream is open
                    emitter.send(text.toString(), TEXT_UTF8);
                    started = true;
                }
                boolean more = lines.size() == LINES_PER_LOOK;
                boolean ended = !Release.PENDING.equals(state.status());
                if (!more && ended && (exited || Instant.now().isAfter(state.updatedAt().plus(grace)))) {
                    stop();
                    emitter.complete();
                }
            } catch (IOException | IllegalStateException e) {
                stop(); // the reader went away (or the response already ended)
            } catch (RuntimeException e) {
                log.warn("Output stream of release {} failed: {}", releaseId, e.toString());
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
