package io.slipway.launcher;

import java.nio.file.Path;

/**
 * What {@code slipway up} is told. Everything else (internal ports, keys, the CA) is generated on the first
 * run and remembered in the data directory.
 *
 * @param dataDir    where the platform keeps everything; running {@code up} again on it resumes
 * @param apiPort    HTTPS port of the API (and, later, git) on 127.0.0.1
 * @param adminEmail the bootstrap administrator, created on the first run only
 */
public record LauncherConfig(Path dataDir, int apiPort, String adminEmail) {
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_API_PORT = 5443;
    public static final String DEFAULT_ADMIN_EMAIL = "admin@slipway.local";

    public LauncherConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
        if (apiPort < 1 || apiPort > 65535) throw new UsageException("Invalid port: " + apiPort);
    }

    public static Path defaultDataDir() {
        return Path.of(System.getProperty("user.home"), ".slipway");
    }

    /** The origin users and the CLI talk to: {@code https://127.0.0.1:<port>}. */
    public String publicUrl() {
        return "https://" + HOST + ":" + apiPort;
    }
}
