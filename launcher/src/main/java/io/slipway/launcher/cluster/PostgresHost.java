package io.slipway.launcher.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL 15 server (the storage host's, the platform's own; and addons-db's, the apps'), from Debian's
 * binaries, run as a server the way a database host runs it: its
 * own data directory (initdb'd once, as the {@code postgres} user), listening on the host's address only,
 * password (SCRAM) logins from the cluster's network. The platform gets its own role and database
 * ({@code slipway}); the superuser is what heroku-postgresql add-ons are created with (docs/addons.md).
 */
final class PostgresHost {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private PostgresHost() {}

    static boolean available() {
        return Files.isExecutable(BIN.resolve("postgres")) && Files.isExecutable(BIN.resolve("initdb"));
    }

    static Path dataDir(ClusterDir dir, ClusterHost host) {
        return dir.host(host).resolve("pgdata");
    }

    private static Path socketDir(ClusterDir dir, ClusterHost host) {
        return dir.host(host).resolve("pgsocket");
    }

    /** initdb as {@code postgres}, with the superuser's password and logins from the cluster's /24. */
    static void init(ClusterDir dir, ClusterHost host, ClusterLayout layout, String superuserPassword) {
        init(dir, host, superuserPassword, "host all all " + layout.cidr() + " scram-sha-256\n");
    }

    /**
     * The apps' server (heroku-postgresql add-ons), which dynos reach: the superuser only from the api-servers
     * (and the operator's side of the bridge, where {@code cluster up} checks it answers), every other role only
     * into its own database ({@code sameuser}, as docs/addons.md asks of an operator's add-on server).
     */
    static void initAddons(ClusterDir dir, ClusterHost host, ClusterLayout layout, String superuserPassword) {
        StringBuilder hba = new StringBuilder();
        for (ClusterHost api : layout.hostsRunning(Role.API_SERVER)) {
            hba.append("host all postgres ").append(api.address()).append("/32 scram-sha-256\n");
        }
        hba.append("host all postgres ").append(layout.gateway()).append("/32 scram-sha-256\n");
        hba.append("host all postgres ").append(layout.cidr()).append(" reject\n");
        hba.append("host sameuser all ").append(layout.cidr()).append(" scram-sha-256\n");
        init(dir, host, superuserPassword, hba.toString());
    }

    private static void init(ClusterDir dir, ClusterHost host, String superuserPassword, String hbaLines) {
        Path data = dataDir(dir, host);
        Path pwfile = dir.host(host).resolve("pwfile");
        try {
            Files.createDirectories(socketDir(dir, host));
            Files.writeString(pwfile, superuserPassword + "\n");
            Command.run("chown", "postgres:postgres", pwfile.toString(), socketDir(dir, host).toString(), dir.host(host).toString());
            Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
            Command.run(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                    BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--pwfile=" + pwfile,
                    "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"),
                    null, Map.of());
            Files.writeString(data.resolve("pg_hba.conf"), hbaLines, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot initialise PostgreSQL in " + data, e);
        } finally {
            try {
                Files.deleteIfExists(pwfile);
            } catch (IOException ignored) {
                // initdb has read it
            }
        }
    }

    static boolean initialised(ClusterDir dir, ClusterHost host) {
        return Files.isRegularFile(dataDir(dir, host).resolve("PG_VERSION"));
    }

    /** The server's command line (run in the host's namespace, as {@code postgres}; it execs, keeping the pid). */
    static List<String> serverCommand(ClusterDir dir, ClusterHost host) {
        return List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                BIN.resolve("postgres").toString(), "-D", dataDir(dir, host).toString(),
                "-c", "listen_addresses=" + host.address(), "-c", "port=" + ClusterLayout.POSTGRES_PORT,
                "-c", "unix_socket_directories=" + socketDir(dir, host), "-c", "max_connections=200",
                "-c", "shared_buffers=64MB");
    }

    /** The platform's role and database, created once. */
    static void createPlatformDatabase(ClusterHost host, String superuserPassword, String platformPassword) {
        String url = "jdbc:postgresql://" + host.address() + ":" + ClusterLayout.POSTGRES_PORT + "/postgres";
        try (Connection c = DriverManager.getConnection(url, "postgres", superuserPassword);
             Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = 'slipway'");
            if (!rs.next()) s.execute("CREATE ROLE slipway LOGIN PASSWORD '" + platformPassword + "'");
            rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'slipway'");
            if (!rs.next()) s.execute("CREATE DATABASE slipway OWNER slipway");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the platform's database on " + host.address() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the server accepts connections (and logins). */
    static boolean ready(ClusterHost host, String superuserPassword) {
        String url = "jdbc:postgresql://" + host.address() + ":" + ClusterLayout.POSTGRES_PORT + "/postgres?connectTimeout=2";
        try (Connection c = DriverManager.getConnection(url, "postgres", superuserPassword)) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
