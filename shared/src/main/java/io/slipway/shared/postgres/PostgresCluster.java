package io.slipway.shared.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster run with the operating system's binaries (Debian's {@code postgresql} package, e.g.
 * {@code /usr/lib/postgresql/15/bin}): {@code initdb} on the first start, {@code pg_ctl start}/{@code stop}.
 * The apps' add-on databases live on such a cluster ({@code slipway up}), and tests start one of their own.
 *
 * <p>Access: only TCP (no Unix socket, whose directory would need the {@code postgres} user), scram-sha-256
 * everywhere; the superuser {@code postgres} only from loopback; every other role only into the database of its
 * own name ({@code sameuser}), from anywhere, so one add-on's credentials open no other add-on's database even if
 * a grant went wrong.
 *
 * <p>Running as root: PostgreSQL refuses to. As {@code EmbeddedDatabase} does through zonky, the binaries then
 * run under {@code unshare -U}: a user namespace without a uid mapping, where they see themselves as
 * {@code nobody} and pass the check, while the kernel still lets them use root's own files (the cluster stays
 * owned by root).
 */
public final class PostgresCluster implements AutoCloseable {
    public static final String SUPERUSER = "postgres";
    private static final String HBA = """
            # written by slipway on every start: edits are lost
            host all postgres 127.0.0.1/32 scram-sha-256
            host all postgres ::1/128 scram-sha-256
            host all postgres all reject
            host sameuser all all scram-sha-256
            """;

    private final Path binDir;
    private final Path dataDir;
    private final int port;

    private PostgresCluster(Path binDir, Path dataDir, int port) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /**
     * Starts the cluster in {@code dataDir} (creating it with {@code superuserPassword} on the first run) on
     * {@code listenAddresses} ({@code *} for all) and {@code port}; the server's log goes to {@code logFile}.
     */
    public static PostgresCluster start(Path binDir, Path dataDir, String listenAddresses, int port,
                                        String superuserPassword, Path logFile) {
        return start(binDir, dataDir, listenAddresses, port, superuserPassword, logFile, null, null);
    }

    /**
     * As {@link #start(Path, Path, String, int, String, Path)}, serving TLS with {@code certPem}/{@code keyPem} (PEM
     * files, copied into the cluster): the stock CLI's {@code pg:psql} insists on {@code sslmode=require} for any host
     * but localhost, as Heroku Postgres does. Null for plain TCP only.
     */
    public static PostgresCluster start(Path binDir, Path dataDir, String listenAddresses, int port,
                                        String superuserPassword, Path logFile, Path certPem, Path keyPem) {
        PostgresCluster cluster = new PostgresCluster(binDir, dataDir, port);
        try {
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) cluster.initdb(superuserPassword, logFile);
            cluster.stopOrphan(logFile);
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA);
            // postgresql.auto.conf is read last, so these win over anything in postgresql.conf
            Files.writeString(dataDir.resolve("postgresql.auto.conf"), "# written by slipway on every start\n"
                    + "listen_addresses = '" + listenAddresses.replace("'", "") + "'\n"
                    + "port = " + port + "\n"
                    + "unix_socket_directories = ''\n"
                    + "password_encryption = 'scram-sha-256'\n"
                    + "max_connections = 300\n"
                    + cluster.ssl(certPem, keyPem));
            cluster.run(logFile, "pg_ctl", "-D", dataDir.toString(), "-l", logFile.toString(), "-w", "-t", "120",
                    "start");
        } catch (IOException e) {
            throw new UncheckedIOException("could not start PostgreSQL in " + dataDir + " (see " + logFile + ")", e);
        }
        return cluster;
    }

    /** Copies the certificate and key in (the key 0600, as PostgreSQL demands) and answers the settings. */
    private String ssl(Path certPem, Path keyPem) throws IOException {
        if (certPem == null || keyPem == null) return "ssl = off\n";
        Path cert = dataDir.resolve("server.crt");
        Path key = dataDir.resolve("server.key");
        Files.copy(certPem, cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(key, Files.readAllBytes(keyPem));
        return "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_min_protocol_version = 'TLSv1.2'\n";
    }

    public int port() {
        return port;
    }

    /** {@code pg_ctl stop -m fast}: sessions are ended, the cluster can be started again. */
    @Override
    public void close() {
        try {
            run(null, "pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL in " + dataDir, e);
        }
    }

    private void initdb(String superuserPassword, Path logFile) throws IOException {
        Files.createDirectories(dataDir.getParent());
        Path pwfile = Files.createTempFile(dataDir.getParent(), ".pw", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            run(logFile, "initdb", "-D", dataDir.toString(), "-U", SUPERUSER, "--pwfile=" + pwfile,
                    "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale");
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    /** A server left running by a launcher that died holds the data directory: stop it first. */
    private void stopOrphan(Path logFile) throws IOException {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) return;
        if (exitCode(logFile, "pg_ctl", "-D", dataDir.toString(), "status") == 0) {
            run(logFile, "pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop");
        }
    }

    private void run(Path logFile, String binary, String... args) throws IOException {
        int code = exitCode(logFile, binary, args);
        if (code != 0) {
            throw new IOException(binary + " exited with " + code + (logFile == null ? "" : " (see " + logFile + ")"));
        }
    }

    private int exitCode(Path logFile, String binary, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.add("unshare");
            command.add("-U");
        }
        command.add(binDir.resolve(binary).toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // never the JVM's own stdio (a surefire fork talks to Maven over it)
        if (logFile != null) {
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(binary + " did not finish in 180 s");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running " + binary, e);
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
