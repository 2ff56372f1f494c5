package io.slipway.gitgateway.repos;

import io.slipway.gitgateway.api.GitAccessClient;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An app's push lock, held through the api-server from before the repository is restored until after it is
 * written back, so two pushes (on any gateway nodes) never interleave. It expires on its own if this gateway
 * dies, and is renewed in the background while a long build runs. The TTL is short (60 s, renewed every 15 s)
 * because a gateway killed mid-push cannot release it: the app's next push must not wait long for it.
 */
public final class PushLock implements AutoCloseable {
    public static final int TTL_SECONDS = 60;
    private static final System.Logger log = System.getLogger(PushLock.class.getName());
    private final GitAccessClient api;
    private final String appId;
    private final String holder;
    private final ScheduledFuture<?> renewal;
    private volatile boolean lost;

    private PushLock(GitAccessClient api, String appId, String holder, ScheduledExecutorService scheduler) {
        this.api = api;
        this.appId = appId;
        this.holder = holder;
        long every = TTL_SECONDS / 4; // three renewals may fail (an api-server restart) before it lapses
        this.renewal = scheduler.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.SECONDS);
    }

    /** @return the lock, or null when another push holds it */
    public static PushLock tryAcquire(GitAccessClient api, String appId, String nodeId,
                                      ScheduledExecutorService scheduler) throws IOException {
        String holder = nodeId + "/" + UUID.randomUUID();
        if (!api.lock(appId, holder, TTL_SECONDS)) return null;
        return new PushLock(api, appId, holder, scheduler);
    }

    /** Renews now; false when the lock was lost (expired and taken over), so writing back would be unsafe. */
    public boolean confirm() {
        if (lost) return false;
        try {
            if (!api.lock(appId, holder, TTL_SECONDS)) lost = true;
        } catch (IOException e) {
            log.log(System.Logger.Level.WARNING, "could not renew the push lock of " + appId + ": " + e.getMessage());
            return false;
        }
        return !lost;
    }

    private void renewQuietly() {
        confirm();
    }

    @Override
    public void close() {
        renewal.cancel(false);
        try {
            api.unlock(appId, holder);
        } catch (IOException e) {
            // it expires by itself
            log.log(System.Logger.Level.WARNING, "could not release the push lock of " + appId + ": " + e.getMessage());
        }
    }
}
