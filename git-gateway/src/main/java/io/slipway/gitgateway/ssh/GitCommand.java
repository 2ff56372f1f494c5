package io.slipway.gitgateway.ssh;

import io.slipway.gitgateway.api.AccessDenied;
import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.gitgateway.push.PushSession;
import io.slipway.gitgateway.push.Pushes;
import io.slipway.gitgateway.repos.LocalRepository;
import io.slipway.shared.gitaccess.Access;
import io.slipway.shared.gitaccess.GitAccessClient.Action;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.UploadPack;

/**
 * One SSH exec request: {@code git-receive-pack} or {@code git-upload-pack} for an app, wired to JGit by hand
 * on a thread of its own (MINA's I/O threads must not wait on a build). Refusals before the git conversation
 * starts are sent as git's {@code ERR} packet, which git prints as {@code fatal: remote error: <message>}.
 */
final class GitCommand implements Command {
    private static final System.Logger log = System.getLogger(GitCommand.class.getName());
    private final String commandLine;
    private final GitAccessClient api;
    private final Pushes pushes;
    private final ExecutorService executor;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Future<?> running;

    GitCommand(String commandLine, GitAccessClient api, Pushes pushes, ExecutorService executor) {
        this.commandLine = commandLine;
        this.api = api;
        this.pushes = pushes;
        this.executor = executor;
    }

    @Override public void setInputStream(InputStream in) { this.in = in; }
    @Override public void setOutputStream(OutputStream out) { this.out = out; }
    @Override public void setErrorStream(OutputStream err) { this.err = err; }
    @Override public void setExitCallback(ExitCallback exit) { this.exit = exit; }

    @Override
    public void start(ChannelSession channel, Environment env) {
        String fingerprint = channel.getSession().getAttribute(KeyAuthenticator.FINGERPRINT);
        String protocol = env.getEnv().get("GIT_PROTOCOL");
        running = executor.submit(() -> {
            int rc = 1;
            try {
                rc = serve(fingerprint, protocol);
            } catch (Throwable t) {
                log.log(System.Logger.Level.ERROR, "git over SSH failed: " + commandLine, t);
            } finally {
                try {
                    out.flush();
                    err.flush();
                } catch (IOException ignored) {
                    // the client is gone
                }
                exit.onExit(rc);
            }
        });
    }

    private int serve(String fingerprint, String protocol) throws IOException {
        CommandLine cmd = CommandLine.parse(commandLine);
        if (cmd == null) {
            err.write(("Slipway serves only git push and fetch of an app: git@<host>:<app>.git\n").getBytes(StandardCharsets.UTF_8));
            return 1;
        }
        boolean push = cmd.service() == CommandLine.Service.RECEIVE_PACK;
        Access access;
        try {
            access = api.authorizeBySshKey(cmd.app(), push ? Action.PUSH : Action.FETCH, fingerprint);
        } catch (AccessDenied denied) {
            refuse(denied.getMessage());
            return 1;
        }
        OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        if (push) {
            PushSession session;
            try {
                session = pushes.openPush(access);
            } catch (IOException e) {
                pushes.abandon(access);
                log.log(System.Logger.Level.ERROR, "repository of " + access.appName() + " unavailable", e);
                refuse("The repository of " + access.appName() + " is not available right now; try again shortly.");
                return 1;
            }
            try (session) {
                session.receivePack().receive(in, buffered, err);
            }
        } else {
            LocalRepository repo;
            try {
                repo = pushes.openForRead(access);
            } catch (IOException e) {
                log.log(System.Logger.Level.ERROR, "repository of " + access.appName() + " unavailable", e);
                refuse("The repository of " + access.appName() + " is not available right now; try again shortly.");
                return 1;
            }
            try (repo) {
                UploadPack up = new UploadPack(repo.repository());
                if (protocol != null) up.setExtraParameters(Arrays.asList(protocol.split(":")));
                up.upload(in, buffered, err);
            }
        }
        buffered.flush();
        return 0;
    }

    private void refuse(String message) throws IOException {
        PacketLineOut pkt = new PacketLineOut(out);
        pkt.writeString("ERR " + message + "\n");
        pkt.flush();
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (running != null) running.cancel(true);
    }
}
