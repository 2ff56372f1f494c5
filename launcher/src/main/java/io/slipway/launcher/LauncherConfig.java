package io.slipway.launcher;

import java.nio.file.Path;

/**
 * What {@code slipway up} is told. Everything else (internal ports, keys, the CA) is generated on the first
 * run and remembered in the data directory.
 *
 * @param dataDir    where the platform keeps everything; running {@code up} again on it resumes
 * @param apiPort    HTTPS port of the API (and, later, git) on 127.0.0.1
 * @param adminEmail the bootstrap administrator, created on the first run only
 * @param routerPort HTTP port of the router (apps answer at {@code http://<app>.localhost:<port>/}); 0 picks a
 *                   free port once and remembers it in the data directory (what tests use)
 * @param insecureDynos {@code --insecure-dynos}: the operator explicitly asks for dynos without isolation (the
 *                   process driver); without it a machine that cannot sandbox dynos refuses to start them
 */
public record LauncherConfig(Path dataDir, int apiPort, String adminEmail, int routerPort, boolean insecureDynos) {
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_API_PORT = 5443;
    public static final int DEFAULT_ROUTER_PORT = 8080;
    public static final String DEFAULT_ADMIN_EMAIL = "admin@slipway.local";

    public LauncherConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
        if (apiPort < 1 || apiPort > 65535) throw new UsageException("Invalid port: " + apiPort);
        if (routerPort < 0 || routerPort > 65535) throw new UsageException("Invalid router port: " + routerPort);
    }

    /** Sandboxed dynos (the agent refuses to start where it cannot sandbox them). */
    public LauncherConfig(Path dataDir, int apiPort, String adminEmail, int routerPort) {
        this(dataDir, apiPort, adminEmail, routerPort, false);
    }

    /** A platform whose router takes any free port (remembered in the data directory). */
    public LauncherConfig(Path dataDir, int apiPort, String adminEmail) {
        this(dataDir, apiPort, adminEmail, 0);
    }

    public static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".slipway");
    }

    /** The origin users and the CLI talk to: {@code https://127.0.0.1:<port>}. */
    public String publicUrl() {
        return "https://" + HOST + ":" + apiPort;
    }
}
