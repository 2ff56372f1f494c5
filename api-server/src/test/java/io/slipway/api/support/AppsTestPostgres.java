package io.slipway.api.support;

import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.postgres.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The apps' PostgreSQL of the add-on tests: Debian's PostgreSQL 15 (the version of the stack's pg_dump and
 * pg_restore, which refuse a newer server, so not zonky's 17), one per test JVM in a temporary directory on
 * 127.0.0.1 and a free port, with the same access rules as {@code slipway up}'s. Stopped and removed at exit.
 */
public final class AppsTestPostgres {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    public static final String PASSWORD = "apps-super-" + UUID.randomUUID();
    private static PostgresCluster cluster;
    private static Path dir;

    private AppsTestPostgres() {}

    public static synchronized int port() {
        if (cluster == null) start();
        return cluster.port();
    }

    public static String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    private static void start() {
        try {
            dir = Files.createTempDirectory("slipway-apps-pg-");
            int port = LocalPorts.freePort();
            cluster = PostgresCluster.start(BIN, dir.resolve("data"), "127.0.0.1", port, PASSWORD, dir.resolve("server.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                cluster.close();
            } finally {
                delete(dir);
            }
        }));
    }

    private static void delete(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // the temporary directory stays; nothing depends on it
        }
    }
}
