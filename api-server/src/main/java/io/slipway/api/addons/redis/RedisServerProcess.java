package io.slipway.api.addons.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;

/**
 * One running {@code redis-server}: written config, started, ready once its admin user answers PING; stopped
 * with SIGTERM (Redis then syncs its append-only file), SIGKILL if it does not exit. A process left behind by an
 * api-server that died is found through its pid file and stopped before a new one takes the port.
 */
final class RedisServerProcess {
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(30);

    private final Process process;
    final String adminHost;
    final int port;
    final String adminPassword;

    private RedisServerProcess(Process process, String adminHost, int port, String adminPassword) {
        this.process = process;
        this.adminHost = adminHost;
        this.port = port;
        this.adminPassword = adminPassword;
    }

    static RedisServerProcess start(RedisAddonsConfig config, Path dir, int port, String tenantPassword,
                                    String adminPassword, RedisLimits limits) {
        try {
            // dir (the platform's: config and log) holds data/ (Redis's own, the only place it may write), so
            // a compromised redis-server cannot plant links the platform would then write through
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            stopLeftover(data);
            Path conf = dir.resolve("redis.conf");
            Files.deleteIfExists(conf);
            Files.writeString(conf, RedisConf.render(port, config.listenAddress(), tenantPassword, adminPassword, limits),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            List<String> command = new ArrayList<>();
            int uid = config.uidFor(port);
            if (uid > 0) {
                chownTree(data, Integer.toString(uid));
                // drop to the instance's own uid before exec: a tenant who breaks Redis gets that uid, not root
                // and not another instance's
                command.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                        "--inh-caps=-all", "--no-new-privs"));
            }
            // "-": the configuration comes on stdin and the process starts inside data/, both opened here before
            // the uid changes, so the instance's uid needs no access to any directory above its data (the
            // platform's data directory may well be root's alone) and cannot read its own configuration
            command.add(config.serverBinary());
            command.add("-");
            ProcessBuilder pb = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(conf.toFile()));
            pb.environment().clear();
            Process p = pb.start();
            String adminHost = adminHost(config.listenAddress());
            RedisServerProcess server = new RedisServerProcess(p, adminHost, port, adminPassword);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server in " + dir, e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    void stop() {
        process.destroy();
        try {
            process.onExit().get(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The condition is the admin user's PING answering, or the process having exited (then its log says why). */
    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_WITHIN);
        long pause = 10;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " (see its redis.log)");
            }
            try {
                RedisAdmin.call(adminHost, port, adminPassword, j -> j.ping());
                return;
            } catch (RuntimeException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    stop();
                    throw new IllegalStateException("redis-server on port " + port + " did not answer within " + READY_WITHIN, notYet);
                }
            }
            try {
                process.waitFor(pause, TimeUnit.MILLISECONDS); // returns early if it exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while starting redis-server", e);
            }
            pause = Math.min(pause * 2, 200);
        }
    }

    private static void stopLeftover(Path data) throws IOException {
        Path pidFile = data.resolve("redis.pid");
        if (!Files.exists(pidFile)) return;
        Optional<ProcessHandle> old;
        try {
            old = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (NumberFormatException e) {
            old = Optional.empty();
        }
        old.filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("redis-server")).orElse(false))
                .ifPresent(h -> {
                    h.destroy();
                    try {
                        h.onExit().get(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        h.destroyForcibly();
                    }
                });
        Files.deleteIfExists(pidFile);
    }

    private static void chownTree(Path dir, String user) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        var owner = lookup.lookupPrincipalByName(user);
        var group = lookup.lookupPrincipalByGroupName(user);
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                var view = Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                view.setOwner(owner);
                view.setGroup(group);
            }
        }
    }

    private static String adminHost(String bind) {
        return bind.equals("0.0.0.0") ? "127.0.0.1" : bind.equals("::") ? "::1" : bind;
    }
}
