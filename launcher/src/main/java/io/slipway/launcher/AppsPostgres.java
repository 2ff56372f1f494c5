package io.slipway.launcher;

import io.slipway.shared.postgres.PostgresCluster;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps' PostgreSQL: a second server, apart from the platform's own, where each heroku-postgresql add-on gets
 * its database and role. Debian's PostgreSQL 15 binaries (the version of the stack's {@code psql},
 * {@code pg_dump} and {@code pg_restore}), a cluster in {@code <data-dir>/apps-postgres} at a remembered port,
 * listening on every address so dynos reach it through the host's address (their sandbox opens that one
 * address and port, see {@link Platform#addonServices()}). Access rules: {@link PostgresCluster}.
 *
 * <p>Without the binaries ({@code postgresql} not installed) the platform starts anyway and heroku-postgresql
 * answers a clear error at {@code addons:create}.
 */
final class AppsPostgres implements AutoCloseable {
    static final String PASSWORD = "apps-postgres-password";
    static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    // TLS: the platform's own server certificate (sslmode=require, which pg:psql uses, checks no name)
    private static final Logger log = LoggerFactory.getLogger(AppsPostgres.class);

    private final DataDir dataDir;
    private final int port;
    private final String password;
    private final String publicHost;
    private final Path binDir;
    private volatile PostgresCluster cluster;

    private AppsPostgres(DataDir dataDir, int port, String password, String publicHost, Path binDir) {
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.publicHost = publicHost;
        this.binDir = binDir;
    }

    /** Starts it, or answers empty (with a warning) when this machine has no PostgreSQL binaries. */
    static Optional<AppsPostgres> start(DataDir dataDir, RememberedPorts ports, LocalCertificateAuthority.TlsFiles tls) {
        return prepare(dataDir, ports).map(pg -> pg.start(tls));
    }

    /**
     * Everything about it but the running server (port, password, address), so the api-server can be told before
     * it has started; empty (with a warning) when this machine has no PostgreSQL binaries.
     */
    static Optional<AppsPostgres> prepare(DataDir dataDir, RememberedPorts ports) {
        Path bin = configuredBinDir();
        if (!Files.isExecutable(bin.resolve("postgres"))) {
            log.warn("No PostgreSQL server binaries in {} (Debian package postgresql): heroku-postgresql add-ons are "
                    + "not offered", bin);
            return Optional.empty();
        }
        int port = ports.port("apps-postgres");
        if (!freeOnEveryAddress(port)) {
            throw new IllegalStateException("Port " + port + " (the apps' PostgreSQL) is in use on some address; "
                    + "stop what uses it or remove apps-postgres.port from " + dataDir.portsFile());
        }
        String password = dataDir.secret(PASSWORD, () -> DataDir.randomToken(24));
        return Optional.of(new AppsPostgres(dataDir, port, password, HostAddress.primaryIpv4(), bin));
    }

    /** Starts the prepared server (creating its cluster on the first run). */
    AppsPostgres start(LocalCertificateAuthority.TlsFiles tls) {
        cluster = PostgresCluster.start(binDir, dataDir.root().resolve("apps-postgres"), "*", port,
                password, dataDir.logs().resolve("apps-postgres.log"), tls.serverCert(), tls.serverKey());
        return this;
    }

    /** {@code SLIPWAY_APPS_POSTGRES_BIN} or Debian's PostgreSQL 15. */
    static Path configuredBinDir() {
        String env = System.getenv("SLIPWAY_APPS_POSTGRES_BIN");
        return env == null || env.isBlank() ? DEFAULT_BIN : Path.of(env);
    }

    int port() {
        return port;
    }

    /** The superuser's connection, from the api-server on this machine (loopback: the only place it may log in). */
    String adminJdbcUrl() {
        return "jdbc:postgresql://" + LauncherConfig.HOST + ":" + port() + "/postgres";
    }

    String adminUser() {
        return PostgresCluster.SUPERUSER;
    }

    String adminPassword() {
        return password;
    }

    /** What goes into DATABASE_URL: the host's address, reachable from dynos and from the user's machine. */
    String publicHost() {
        return publicHost;
    }

    /** Where pg_dump and pg_restore of the same version are (the api-server's backups). */
    Path binDir() {
        return binDir;
    }

    /** The api-server's {@code slipway.addons.postgres.*} for this server ({@code SLIPWAY_ADDONS_POSTGRES_*}). */
    java.util.Map<String, String> apiServerSettings() {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("slipway.addons.postgres.admin-url", adminJdbcUrl());
        p.put("slipway.addons.postgres.admin-user", adminUser());
        p.put("slipway.addons.postgres.admin-password", adminPassword());
        p.put("slipway.addons.postgres.public-host", publicHost());
        p.put("slipway.addons.postgres.public-port", String.valueOf(port()));
        p.put("slipway.addons.postgres.bin-dir", binDir().toString());
        return p;
    }

    /** {@code host:port} dynos must reach. */
    String service() {
        return publicHost + ":" + port();
    }

    private static boolean freeOnEveryAddress(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (cluster != null) cluster.close();
    }
}
