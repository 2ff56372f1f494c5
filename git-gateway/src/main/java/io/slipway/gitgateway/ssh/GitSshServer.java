package io.slipway.gitgateway.ssh;

import io.slipway.gitgateway.api.GitAccessClient;
import io.slipway.gitgateway.push.Pushes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;

/**
 * Git over SSH with Apache MINA SSHD: public-key logins for registered keys, exec of git's two commands and
 * nothing else (no shell, no forwarding, no passwords), and a host key that never changes (see {@link HostKeys}).
 */
public final class GitSshServer {
    private final SshServer sshd;

    public GitSshServer(String bind, int port, Path hostKey, GitAccessClient api, Pushes pushes, ExecutorService executor)
            throws IOException {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost(bind);
        sshd.setPort(port);
        sshd.setKeyPairProvider(HostKeys.load(hostKey));
        sshd.setPublickeyAuthenticator(new KeyAuthenticator(api));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setCommandFactory((channel, command) -> new GitCommand(command, api, pushes, executor));
        // a push stays connected while its build runs, possibly without output for a while
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, Duration.ofHours(2));
    }

    public void start() throws IOException {
        sshd.start();
    }

    public int port() {
        return sshd.getPort();
    }

    public void stop() throws IOException {
        sshd.stop(true);
    }
}
