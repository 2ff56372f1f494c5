package io.slipway.gitgateway.push;

import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.gitgateway.deploy.Deployer;
import io.slipway.gitgateway.repos.LocalRepository;
import io.slipway.gitgateway.repos.PushLock;
import io.slipway.gitgateway.repos.RepositoryStore;
import io.slipway.shared.gitaccess.Access;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens the repository work of a git request once access is granted: a read-only copy for fetches and
 * advertisements, or a {@link PushSession} for a push. Shared by the HTTP and SSH front ends.
 */
public final class Pushes {
    private final GitAccessClient api;
    private final RepositoryStore store;
    private final Deployer deployer;
    private final ScheduledExecutorService scheduler;
    private final String nodeId;
    private final long maxPackBytes;

    public Pushes(GitAccessClient api, RepositoryStore store, Deployer deployer, ScheduledExecutorService scheduler,
                  String nodeId, long maxPackBytes) {
        this.maxPackBytes = maxPackBytes;
        this.api = api;
        this.store = store;
        this.deployer = deployer;
        this.scheduler = scheduler;
        this.nodeId = nodeId;
    }

    /** A private copy to fetch from (or to advertise refs from); nothing is written back. */
    public LocalRepository openForRead(Access access) throws IOException {
        return store.restore(access.appId(), access.appName());
    }

    /**
     * A push: the lock first, then the repository as stored under it. When another push holds the lock the
     * session still receives (so git can show why), but rejects every update.
     */
    public PushSession openPush(Access access) throws IOException {
        PushLock lock = PushLock.tryAcquire(api, access.appId(), nodeId, scheduler);
        try {
            LocalRepository repo = store.restore(access.appId(), access.appName());
            return new PushSession(access, lock, repo, store, deployer, api, maxPackBytes);
        } catch (IOException | RuntimeException e) {
            if (lock != null) lock.close();
            throw e;
        }
    }

    /** For a request that ends before a session exists: its push token is not needed any more. */
    public void abandon(Access access) {
        try {
            api.revokePushToken(access);
        } catch (IOException ignored) {
            // it expires within the hour
        }
    }
}
