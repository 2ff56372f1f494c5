package io.slipway.gitgateway.push;

import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.gitgateway.deploy.Deployer;
import io.slipway.gitgateway.repos.LocalRepository;
import io.slipway.gitgateway.repos.PushLock;
import io.slipway.gitgateway.repos.RepositoryStore;
import io.slipway.gitgateway.sideband.Remote;
import io.slipway.shared.gitaccess.Access;
import java.io.IOException;
import java.util.Collection;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;

/**
 * One {@code git push}, over HTTP or SSH: the app's push lock, its restored repository, and the
 * {@link ReceivePack} whose hooks apply the push rules, build before the branch moves (pre-receive), and write
 * the repository back after it moved (post-receive). The lock is released and the push token revoked at the end
 * of post-receive, before git reads the final status; {@link #close()} does it if that never ran, and deletes the
 * scratch copy.
 */
public final class PushSession implements AutoCloseable {
    private static final System.Logger log = System.getLogger(PushSession.class.getName());
    private final Access access;
    private final PushLock lock;
    private final LocalRepository repo;
    private final RepositoryStore store;
    private final Deployer deployer;
    private final GitAccessClient api;
    private boolean finished;
    private final long maxPackBytes;

    PushSession(Access access, PushLock lock, LocalRepository repo, RepositoryStore store, Deployer deployer,
                GitAccessClient api, long maxPackBytes) {
        this.maxPackBytes = maxPackBytes;
        this.access = access;
        this.lock = lock;
        this.repo = repo;
        this.store = store;
        this.deployer = deployer;
        this.api = api;
    }

    public Access access() { return access; }
    public Repository repository() { return repo.repository(); }

    public ReceivePack receivePack() {
        ReceivePack rp = new ReceivePack(repo.repository());
        rp.setAllowCreates(true);
        rp.setAllowDeletes(true); // refused by PushRules, with a message
        // Heroku takes forced pushes; git only sends a non-fast-forward update when the user forces it
        rp.setAllowNonFastForwards(true);
        rp.setCheckReceivedObjects(true);
        // a push larger than this is cut off while it arrives (JGit stops reading and tells git why)
        rp.setMaxPackSizeLimit(maxPackBytes);
        rp.setRefLogIdent(new PersonIdent(access.email(), access.email()));
        rp.setPreReceiveHook(this::preReceive);
        rp.setPostReceiveHook(this::postReceive);
        return rp;
    }

    private void preReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
        Remote remote = new Remote(rp);
        if (lock == null) {
            for (ReceiveCommand cmd : commands) {
                cmd.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "another push is in progress");
            }
            remote.error("Another push to " + access.appName() + " is in progress; try again when it finishes.");
            return;
        }
        ReceiveCommand deploy = PushRules.check(commands, remote);
        if (deploy == null) return;
        if (!deployer.deploy(rp, access, deploy)) {
            deploy.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "pre-receive hook declined");
        }
    }

    private void postReceive(ReceivePack rp, Collection<ReceiveCommand> updated) {
        try {
            if (!updated.isEmpty() && lock != null) store(new Remote(rp), updated);
        } finally {
            // before git is told the push is over: a next push must find the lock free
            finish();
        }
    }

    private void store(Remote remote, Collection<ReceiveCommand> updated) {
        try {
            pointHeadAtPushedBranch(updated);
            if (!lock.confirm()) {
                remote.error("The push lock of " + access.appName() + " was lost, so this push was not stored; "
                        + "push again.");
                return;
            }
            store.save(access.appId(), repo);
        } catch (IOException e) {
            log.log(System.Logger.Level.ERROR, "could not store the repository of " + access.appName(), e);
            remote.error("The app was built, but its repository could not be stored (" + e.getMessage()
                    + "). Push again to store it.");
        }
    }

    /** A repository whose HEAD names a branch that does not exist (first push to master) points it there. */
    private void pointHeadAtPushedBranch(Collection<ReceiveCommand> updated) throws IOException {
        Repository r = repo.repository();
        Ref head = r.exactRef(Constants.HEAD);
        if (head != null && head.getObjectId() != null) return;
        String branch = updated.iterator().next().getRefName();
        RefUpdate u = r.updateRef(Constants.HEAD);
        u.disableRefLog();
        u.link(branch);
    }

    /** Releases the lock and revokes the push token; idempotent. */
    private synchronized void finish() {
        if (finished) return;
        finished = true;
        try {
            if (lock != null) lock.close();
        } finally {
            try {
                api.revokePushToken(access);
            } catch (IOException e) {
                log.log(System.Logger.Level.WARNING, "could not revoke the push token of " + access + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        try {
            finish();
        } finally {
            repo.close();
        }
    }
}
