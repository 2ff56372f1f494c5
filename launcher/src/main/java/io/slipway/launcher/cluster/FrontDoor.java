package io.slipway.launcher.cluster;

import io.slipway.launcher.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The balancer in front of the cluster: Debian's HAProxy in the root namespace, running
 * {@code deploy/haproxy/slipway.cfg} (the operators' config) with its {@code ${...}} variables filled in, written
 * to {@code haproxy.cfg} in the cluster's directory.
 */
final class FrontDoor {
    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private FrontDoor() {}

    static boolean available() {
        return Files.isExecutable(HAPROXY);
    }

    static Map<String, String> variables(ClusterDir dir, ClusterState state, Path caCert) {
        ClusterLayout l = state.layout();
        Map<String, String> v = new LinkedHashMap<>();
        v.put("SLIPWAY_FRONT_ADDR", "127.0.0.1");
        v.put("SLIPWAY_API_PORT", String.valueOf(state.apiPort()));
        v.put("SLIPWAY_SSH_PORT", String.valueOf(state.sshPort()));
        v.put("SLIPWAY_APPS_PORT", String.valueOf(state.appsPort()));
        v.put("SLIPWAY_APPS_TLS_PORT", String.valueOf(state.appsTlsPort()));
        v.put("SLIPWAY_PRIVATE_ADDR", l.gateway());
        v.put("SLIPWAY_API_1", l.host("api-1").address());
        v.put("SLIPWAY_API_2", l.host("api-2").address());
        v.put("SLIPWAY_GIT_GATEWAY", l.host("git").address());
        v.put("SLIPWAY_ROUTER_1", l.host("router-1").address());
        v.put("SLIPWAY_ROUTER_2", l.host("router-2").address());
        v.put("SLIPWAY_CA_FILE", caCert.toString());
        v.put("SLIPWAY_HAPROXY_SOCKET", dir.haproxySocket().toString());
        return v;
    }

    static void start(Path home, ClusterDir dir, ClusterState state, Path caCert) {
        String config;
        try {
            config = Files.readString(home.resolve("deploy/haproxy/slipway.cfg"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read deploy/haproxy/slipway.cfg", e);
        }
        for (Map.Entry<String, String> e : variables(dir, state, caCert).entrySet()) {
            config = config.replace("${" + e.getKey() + "}", e.getValue());
        }
        PrivateFiles.write(dir.haproxyConfig(), config);
        // -D: daemon, returns once every listener is bound (or fails with the reason)
        Command.run(HAPROXY.toString(), "-D", "-f", dir.haproxyConfig().toString(), "-p", dir.haproxyPid().toString());
    }

    static Optional<ProcessHandle> process(ClusterDir dir) {
        try {
            if (!Files.isRegularFile(dir.haproxyPid())) return Optional.empty();
            String first = Files.readAllLines(dir.haproxyPid()).stream().filter(s -> !s.isBlank()).findFirst().orElse("");
            return first.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(first.trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void stop(ClusterDir dir) {
        process(dir).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    /** A command on HAProxy's admin socket, e.g. {@code set server api/api-1 state drain}. */
    static String admin(ClusterDir dir, String command) {
        return Command.run(List.of("socat", "stdio", "unix-connect:" + dir.haproxySocket()), command + "\n", Map.of());
    }

    /**
     * Waits until the balancer has marked every server of {@code backend} up. Its health checks need a couple of
     * seconds after the servers first answer (two good checks a second apart), and a request before that gets
     * HAProxy's 503 although every server is ready.
     */
    static void awaitBackendUp(ClusterDir dir, String backend, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allServersUp(admin(dir, "show stat"), backend)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the balancer did not mark every server of '" + backend + "' up within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** {@code show stat} is CSV: proxy name, server name, ..., the 18th field the server's status ("UP", "DOWN"...). */
    static boolean allServersUp(String showStat, String backend) {
        int servers = 0;
        for (String line : showStat.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length < 18 || !f[0].equals(backend) || f[1].equals("BACKEND") || f[1].equals("FRONTEND")) continue;
            servers++;
            if (!f[17].startsWith("UP")) return false;
        }
        return servers > 0;
    }
}
