package io.slipway.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The platform's PostgreSQL: zonky's embedded binaries on a persistent cluster in {@code <data-dir>/postgres},
 * on 127.0.0.1 at a remembered port, with a database {@code slipway}. Stopping it ({@link #close()}) is a
 * clean {@code pg_ctl stop}; the next start reuses the cluster.
 *
 * <p>Access: zonky creates the cluster with {@code trust} authentication, which would let any local user
 * connect as the superuser (and a superuser can run programs as the server). So on every start the
 * {@code postgres} role gets the password kept in the data directory, and {@code pg_hba.conf} is rewritten to
 * require it (scram-sha-256) on every connection, the Unix socket included.
 *
 * <p>Running as root: PostgreSQL refuses to run as root. zonky 2.2 then wraps initdb, pg_ctl and postgres in
 * {@code unshare -U} ({@code LinuxUtils.isUnshareAvailable}): a new user namespace with no uid mapping, where
 * the processes see themselves as {@code nobody} (65534) and so pass PostgreSQL's check. In the kernel they
 * keep uid 0 but hold no capability outside that namespace, so file access is decided by the owner bits of
 * root's own files: {@code /root/.slipway/postgres} works although {@code /root} is mode 700, because root
 * owns every directory on the way, and the files postgres writes are owned by root. We therefore keep the
 * cluster owned by root and do not chown it to {@code nobody} (the usual advice): that would remove the
 * owner access and, without CAP_DAC_OVERRIDE, lock postgres out. Where user namespaces are not available
 * (unshare missing or forbidden, as in some containers) initdb would fail with "cannot be run as root";
 * {@link #checkCanRunAsCurrentUser()} says so up front.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    public static final String DATABASE = "slipway";
    public static final String USER = "postgres";
    private static final String HBA_MARKER = "# slipway: password required";

    private final EmbeddedPostgres postgres;
    private final int port;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port, String password) {
        this.postgres = postgres;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts (creating on the first run) the cluster in {@code clusterDir}, on the remembered {@code postgres}
     * port. Server output goes to {@code logFile}.
     */
    public static EmbeddedDatabase start(Path clusterDir, RememberedPorts ports, String password, Path logFile) {
        return start(clusterDir, port(clusterDir, ports), password, logFile);
    }

    /**
     * The port the cluster in {@code clusterDir} is to listen on, chosen before it starts (so the api-server can be
     * told it while PostgreSQL is still starting): the remembered one, once an orphaned server no longer holds it.
     */
    public static int port(Path clusterDir, RememberedPorts ports) {
        OrphanedPostmaster.stop(clusterDir);
        return ports.port("postgres");
    }

    /** Starts (creating on the first run) the cluster in {@code clusterDir} on {@code port}, from {@link #port}. */
    public static EmbeddedDatabase start(Path clusterDir, int port, String password, Path logFile) {
        checkCanRunAsCurrentUser();
        boolean fresh = !Files.exists(clusterDir.resolve("PG_VERSION"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(clusterDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setPGStartupWait(Duration.ofSeconds(120))
                // the launcher stops it in order (api-server first) from its own shutdown hook
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", LauncherConfig.HOST)
                // zonky is tuned for throw-away test databases: it passes -F (fsync off) and synchronous_commit=off.
                // This cluster keeps the platform's data, so both are turned back on (a later -c wins over -F).
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        if (!fresh) {
            // zonky's readiness check connects as postgres: on a hardened cluster it needs the password
            builder.setConnectConfig("password", password);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL did not start (see " + logFile + "): " + e.getMessage(), e);
        }
        EmbeddedDatabase db = new EmbeddedDatabase(postgres, port, password);
        try {
            db.requirePassword(clusterDir);
            db.createDatabaseIfMissing();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    private String jdbcUrl(String database) {
        return jdbcUrl(port, database);
    }

    /** The platform database's URL on {@code port}. */
    public static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://" + LauncherConfig.HOST + ":" + port + "/" + database;
    }

    private Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    private void requirePassword(Path clusterDir) {
        Path hba = clusterDir.resolve("pg_hba.conf");
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            // the password only ever travels to the server as a literal of this statement, never into a log
            s.execute("ALTER ROLE " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
            if (!Files.readString(hba).startsWith(HBA_MARKER)) {
                Files.writeString(hba, HBA_MARKER + " (written by slipway up)\n"
                        + "local all all scram-sha-256\n"
                        + "host  all all 127.0.0.1/32 scram-sha-256\n"
                        + "host  all all ::1/128 scram-sha-256\n");
                s.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not secure PostgreSQL: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + hba, e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection c = connect("postgres")) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /** Fails with an explanation when PostgreSQL could not run here at all (root without user namespaces). */
    public static void checkCanRunAsCurrentUser() {
        if (!isRoot()) return;
        if (!userNamespacesWork()) {
            throw new IllegalStateException("PostgreSQL cannot run as root, and the way around it, a user namespace "
                    + "(`unshare -U`), is not available here (a container that forbids them?). "
                    + "Run slipway as a non-root user.");
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The same probe zonky makes before deciding to wrap the binaries: {@code unshare -U id -u} must not say 0. */
    private static boolean userNamespacesWork() {
        try {
            Process p = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !out.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code pg_ctl stop}: a clean shutdown, after which the cluster can be started again. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        }
    }
}
