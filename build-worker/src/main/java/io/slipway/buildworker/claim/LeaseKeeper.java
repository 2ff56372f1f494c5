package io.slipway.buildworker.claim;

import io.slipway.shared.builds.InternalBuildsClient;
import io.slipway.shared.builds.LeaseLostException;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Keeps a build's lease while it runs: a heartbeat every third of the lease. When the api-server answers 409 the
 * lease is gone (the build was requeued or failed) and {@code onLost} stops the build. A heartbeat that fails for
 * another reason is retried at the next beat: the lease has slack for a couple of misses.
 */
public final class LeaseKeeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());
    private final Thread thread;
    private volatile boolean stopped;

    private LeaseKeeper(InternalBuildsClient client, String buildId, int leaseSeconds, Runnable onLost) {
        thread = new Thread(() -> beat(client, buildId, leaseSeconds, onLost), "lease-" + buildId);
        thread.setDaemon(true);
    }

    public static LeaseKeeper start(InternalBuildsClient client, String buildId, int leaseSeconds, Runnable onLost) {
        LeaseKeeper keeper = new LeaseKeeper(client, buildId, leaseSeconds, onLost);
        keeper.thread.start();
        return keeper;
    }

    private void beat(InternalBuildsClient client, String buildId, int leaseSeconds, Runnable onLost) {
        long intervalMs = intervalMs(leaseSeconds);
        while (!stopped) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
            if (stopped) return;
            try {
                intervalMs = intervalMs(client.heartbeat(buildId));
            } catch (LeaseLostException e) {
                LOG.log(Level.WARNING, "build {0}: lease lost, stopping it", buildId);
                onLost.run();
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "build {0}: heartbeat failed ({1}); retrying", buildId, e.getMessage());
            }
        }
    }

    static long intervalMs(int leaseSeconds) {
        return Math.max(500L, leaseSeconds * 1000L / 3);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
