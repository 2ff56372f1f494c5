package io.slipway.launcher.cluster;

import io.slipway.launcher.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cluster's directory: its layout ({@code cluster.properties}), secrets (mode 600), the CA, one directory per
 * host (its env files and data), pid files and logs, the balancer's config and {@code env.sh}.
 */
public final class ClusterDir {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path root;

    public ClusterDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Creates the directories; traversable by others (711) because PostgreSQL runs as {@code postgres} below it. */
    public ClusterDir create() {
        for (Path p = root.getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.isDirectory(p) && !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("PostgreSQL runs as the postgres user and must reach " + root + ", but " + p
                            + " is closed to other users: choose a --dir below a directory others may traverse (e.g. "
                            + "/var/lib or /tmp), or chmod o+x " + p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + p, e);
            }
        }
        try {
            for (Path d : new Path[] {root, root.resolve("hosts"), run(), logs()}) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx--x--x"));
            }
            PrivateFiles.directory(root.resolve("secrets"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        return this;
    }

    /** Not empty, and not what a cluster leaves (its logs, hosts, secrets...): never deleted by {@code up}. */
    boolean looksUsedForSomethingElse() {
        if (!Files.isDirectory(root)) return false;
        java.util.Set<String> ours = java.util.Set.of("logs", "hosts", "secrets", "tls", "run", "env.sh",
                "haproxy.cfg", "cluster.properties");
        try (java.util.stream.Stream<Path> entries = Files.list(root)) {
            return entries.anyMatch(p -> !ours.contains(p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    public Path root() { return root; }
    public Path layoutFile() { return root.resolve("cluster.properties"); }
    public Path tls() { return root.resolve("tls"); }
    public Path run() { return root.resolve("run"); }
    public Path logs() { return root.resolve("logs"); }
    public Path envSh() { return root.resolve("env.sh"); }
    public Path haproxyConfig() { return root.resolve("haproxy.cfg"); }
    public Path haproxyPid() { return run().resolve("haproxy.pid"); }
    public Path haproxySocket() { return run().resolve("haproxy.sock"); }
    public Path secretsKeyFile() { return root.resolve("secrets").resolve("secrets-key"); }

    public Path host(ClusterHost host) {
        Path dir = root.resolve("hosts").resolve(host.name());
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    public Path envFile(ClusterHost host, Role role) { return host(host).resolve(role.component() + ".env"); }
    public Path pidFile(ClusterHost host, Role role) { return run().resolve(host.name() + "." + role.component() + ".pid"); }
    public Path log(ClusterHost host, Role role) { return logs().resolve(host.name() + "." + role.component() + ".log"); }

    /** A secret kept in {@code secrets/<name>}, made by {@code make} the first time. */
    public String secret(String name, Supplier<String> make) {
        Path file = root.resolve("secrets").resolve(name);
        if (Files.isRegularFile(file)) return PrivateFiles.read(file).trim();
        String value = make.get();
        PrivateFiles.write(file, value + "\n");
        return value;
    }

    public Optional<String> secret(String name) {
        Path file = root.resolve("secrets").resolve(name);
        return Files.isRegularFile(file) ? Optional.of(PrivateFiles.read(file).trim()) : Optional.empty();
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
