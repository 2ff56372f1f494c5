package io.slipway.gitgateway;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the git-gateway can be told, read once from the environment.
 *
 * @param apiUrl        the api-server's public URL ({@code SLIPWAY_API_URL}): the Builds API, as the pushing user
 * @param internalApiUrl the api-server's internal listener ({@code SLIPWAY_INTERNAL_API_URL},
 *                      {@code http://127.0.0.1:5003}): git access, push locks, repository URLs, SSH keys
 * @param internalToken this gateway's own component token, role {@code git-gateway} ({@code SLIPWAY_INTERNAL_TOKEN});
 *                      required
 * @param httpPort      git smart HTTP, plain and internal ({@code SLIPWAY_GIT_HTTP_PORT}, 5001): TLS is the
 *                      api-server front door's job, which forwards {@code /<app>.git/...} here
 * @param httpBind      address of the HTTP listener ({@code SLIPWAY_GIT_HTTP_BIND}, 127.0.0.1)
 * @param sshPort       SSH ({@code SLIPWAY_GIT_SSH_PORT}, 2222)
 * @param sshBind       address of the SSH listener ({@code SLIPWAY_GIT_SSH_BIND}, 0.0.0.0)
 * @param hostKey       the SSH host key, OpenSSH format ({@code SLIPWAY_GIT_HOST_KEY}); generated once if missing.
 *                      Give every gateway node the same file, or clients see a changed host key.
 * @param workDir       scratch space for repositories during a request ({@code SLIPWAY_GIT_WORK_DIR})
 * @param apiCaFile     PEM certificate(s) to trust for an https api url ({@code SLIPWAY_API_CA_FILE}), or null
 * @param nodeId        this gateway in push-lock holders ({@code SLIPWAY_GIT_NODE_ID}, the host name)
 * @param maxPackBytes  the largest pack one push may send ({@code SLIPWAY_GIT_MAX_PACK_MB}, default 1024); a
 *                      larger push is refused with a message in its output, before the pack is stored
 */
public record GitGatewayConfig(URI apiUrl, URI internalApiUrl, String internalToken, int httpPort, String httpBind,
                               int sshPort, String sshBind, Path hostKey, Path workDir, Path apiCaFile, String nodeId,
                               long maxPackBytes) {

    public static final long DEFAULT_MAX_PACK_BYTES = 1024L * 1024 * 1024;

    public GitGatewayConfig {
        if (maxPackBytes < 1) throw new IllegalArgumentException("SLIPWAY_GIT_MAX_PACK_MB must be positive");
    }

    public static GitGatewayConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    public static GitGatewayConfig fromEnv(Map<String, String> env) {
        Path home = Path.of(System.getProperty("user.home"), ".slipway", "git-gateway");
        String token = env.get("SLIPWAY_INTERNAL_TOKEN");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("SLIPWAY_INTERNAL_TOKEN is required: the gateway asks the api-server "
                    + "who may push, on its internal API");
        }
        String ca = env.get("SLIPWAY_API_CA_FILE");
        return new GitGatewayConfig(
                URI.create(stripSlash(env.getOrDefault("SLIPWAY_API_URL", "http://127.0.0.1:5000"))),
                URI.create(stripSlash(env.getOrDefault("SLIPWAY_INTERNAL_API_URL", "http://127.0.0.1:5003"))),
                token,
                port(env, "SLIPWAY_GIT_HTTP_PORT", 5001),
                env.getOrDefault("SLIPWAY_GIT_HTTP_BIND", "127.0.0.1"),
                port(env, "SLIPWAY_GIT_SSH_PORT", 2222),
                env.getOrDefault("SLIPWAY_GIT_SSH_BIND", "0.0.0.0"),
                Path.of(env.getOrDefault("SLIPWAY_GIT_HOST_KEY", home.resolve("ssh_host_ed25519_key").toString())),
                Path.of(env.getOrDefault("SLIPWAY_GIT_WORK_DIR", home.resolve("work").toString())),
                ca == null || ca.isBlank() ? null : Path.of(ca),
                env.getOrDefault("SLIPWAY_GIT_NODE_ID", hostName()),
                megabytes(env, "SLIPWAY_GIT_MAX_PACK_MB", DEFAULT_MAX_PACK_BYTES));
    }

    private static long megabytes(Map<String, String> env, String name, long fallbackBytes) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallbackBytes;
        try {
            return Long.parseLong(v.trim()) * 1024 * 1024;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of megabytes, got " + v);
        }
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            int p = Integer.parseInt(v.trim());
            if (p < 0 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got " + v);
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "git-gateway";
        }
    }

    @Override
    public String toString() {
        // never print the internal token
        return "GitGatewayConfig[apiUrl=" + apiUrl + ", internalApiUrl=" + internalApiUrl + ", httpPort=" + httpPort + ", httpBind=" + httpBind
                + ", sshPort=" + sshPort + ", sshBind=" + sshBind + ", hostKey=" + hostKey + ", workDir=" + workDir
                + ", apiCaFile=" + apiCaFile + ", nodeId=" + nodeId + ", maxPackBytes=" + maxPackBytes + "]";
    }
}
