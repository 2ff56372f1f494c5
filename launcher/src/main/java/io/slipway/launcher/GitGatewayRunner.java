package io.slipway.launcher;

import io.slipway.gitgateway.GitGateway;
import io.slipway.gitgateway.GitGatewayConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the git-gateway inside the launcher's JVM: smart HTTP on an internal loopback port (the api-server's TLS
 * listener forwards {@code /<app>.git/...} to it, since the stock CLI puts the git remote on the API's host and
 * port) and SSH on {@code 127.0.0.1:2222} by default. Its SSH host key lives in the data dir, so it survives
 * restarts.
 */
final class GitGatewayRunner {
    static final int DEFAULT_SSH_PORT = 2222;

    private GitGatewayRunner() {}

    /** The SSH port: {@code SLIPWAY_GIT_SSH_PORT}, else 2222 when free, else one remembered in the data dir. */
    static int sshPort(RememberedPorts ports) {
        String configured = System.getenv("SLIPWAY_GIT_SSH_PORT");
        if (configured != null && !configured.isBlank()) return Integer.parseInt(configured.trim());
        return RememberedPorts.isFree(DEFAULT_SSH_PORT) ? DEFAULT_SSH_PORT : ports.port("git-ssh");
    }

    static GitGateway start(LauncherConfig config, DataDir dataDir, int httpPort, int sshPort, Path caCert,
                            String internalUrl, String token) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("SLIPWAY_API_URL", config.publicUrl());
        env.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
        env.put("SLIPWAY_INTERNAL_TOKEN", token);
        env.put("SLIPWAY_GIT_HTTP_PORT", String.valueOf(httpPort));
        env.put("SLIPWAY_GIT_HTTP_BIND", LauncherConfig.HOST);
        env.put("SLIPWAY_GIT_SSH_PORT", String.valueOf(sshPort));
        env.put("SLIPWAY_GIT_SSH_BIND", LauncherConfig.HOST);
        env.put("SLIPWAY_GIT_HOST_KEY", dataDir.git().resolve("ssh_host_ed25519_key").toString());
        env.put("SLIPWAY_GIT_WORK_DIR", dataDir.git().resolve("work").toString());
        env.put("SLIPWAY_API_CA_FILE", caCert.toString());
        env.put("SLIPWAY_GIT_NODE_ID", "slipway-up-" + ProcessHandle.current().pid());
        GitGateway gateway = new GitGateway(GitGatewayConfig.fromEnv(env));
        gateway.start();
        return gateway;
    }
}
