package io.slipway.buildworker.claim;

import io.slipway.shared.builds.ClaimedBuild;
import io.slipway.shared.builds.InternalBuildsClient;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * Asks the api-server for work whenever this worker has a free slot: claims at once while builds are queued,
 * every {@code interval} when idle, and backs off (jittered, up to 10 s: many workers must not all come back in the
 * same instant, nor wait long once it is back) while the api-server cannot be reached. Each claimed
 * build is handed to {@code start}, which must release its slot through {@link #buildEnded()} when done.
 */
public final class ClaimLoop implements Runnable {
    private static final System.Logger LOG = System.getLogger(ClaimLoop.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final InternalBuildsClient client;
    private final String workerId;
    private final Duration interval;
    private final Semaphore slots;
    private final Consumer<ClaimedBuild> start;
    private volatile boolean stopped;

    public ClaimLoop(InternalBuildsClient client, String workerId, Duration interval, int concurrency,
                     Consumer<ClaimedBuild> start) {
        this.client = client;
        this.workerId = workerId;
        this.interval = interval;
        this.slots = new Semaphore(concurrency);
        this.start = start;
    }

    @Override
    public void run() {
        io.slipway.shared.retry.Backoff backoff = new io.slipway.shared.retry.Backoff(
                interval.toMillis() > 0 ? interval : Duration.ofMillis(100), MAX_BACKOFF);
        int failures = 0;
        while (!stopped) {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                return;
            }
            boolean handedOver = false;
            try {
                if (stopped) return;
                Optional<ClaimedBuild> claimed = client.claim(workerId);
                failures = 0;
                if (claimed.isPresent()) {
                    LOG.log(Level.INFO, "claimed build {0} of {1}", claimed.get().buildId(), claimed.get().appName());
                    start.accept(claimed.get());
                    handedOver = true;
                    continue; // more may be queued: claim again at once if a slot is free
                }
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted() || stopped) return;
                LOG.log(Level.WARNING, "claiming a build failed: {0}", e.getMessage());
                failures++;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "claiming a build failed", e);
            } finally {
                if (!handedOver) slots.release();
            }
            try {
                Thread.sleep(failures == 0 ? interval.toMillis() : backoff.delayMillis(failures));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A build handed to {@code start} has ended: its slot is free again. */
    public void buildEnded() {
        slots.release();
    }

    public void stop() {
        stopped = true;
    }
}
