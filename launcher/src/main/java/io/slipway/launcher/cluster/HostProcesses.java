package io.slipway.launcher.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts and stops the processes of a host, each in the host's network namespace, detached from the caller
 * ({@code setsid}), output to {@code logs/<host>.<component>.log}, its pid in {@code run/<host>.<component>.pid}.
 * Every component runs {@code deploy/bin/slipway-component <component> <env file>}, the systemd units' command;
 * {@code nsenter} and the wrapper both exec, so the pid is the JVM's.
 */
final class HostProcesses {
    private final Path home;
    private final ClusterDir dir;
    private final ClusterLayout layout;

    HostProcesses(Path home, ClusterDir dir, ClusterLayout layout) {
        this.home = home;
        this.dir = dir;
        this.layout = layout;
    }

    long start(ClusterHost host, Role role) {
        // nsenter, not `ip netns exec`: only the network namespace changes. `ip netns exec` also remounts /sys,
        // which hides the cgroup file system runc needs for the dynos and builds.
        List<String> command = new ArrayList<>(List.of("setsid", "nsenter", "--net=/run/netns/" + layout.netns(host)));
        if (role == Role.POSTGRES) {
            command.addAll(PostgresHost.serverCommand(dir, host));
        } else {
            command.add(home.resolve("deploy/bin/slipway-component").toString());
            command.add(role.component());
            command.add(dir.envFile(host, role).toString());
        }
        Path log = dir.log(host, role);
        try {
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Files.writeString(dir.pidFile(host, role), p.pid() + "\n");
            return p.pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + role.component() + " on " + host.name(), e);
        }
    }

    Optional<ProcessHandle> process(ClusterHost host, Role role) {
        Path file = dir.pidFile(host, role);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean alive(ClusterHost host, Role role) {
        return process(host, role).isPresent();
    }

    /** Every process in the host's namespace (its components and whatever they started there, e.g. git). */
    List<Long> pidsInNamespace(ClusterHost host) {
        List<Long> pids = new ArrayList<>();
        try {
            for (String line : Command.run("ip", "netns", "pids", layout.netns(host)).split("\n")) {
                if (!line.isBlank()) pids.add(Long.parseLong(line.trim()));
            }
        } catch (IllegalStateException e) {
            // the namespace is gone: nothing runs in it
        }
        return pids;
    }

    /** SIGKILL to every process of the host at once: what a power cut does. */
    void kill9(ClusterHost host) {
        for (Role role : host.roles()) process(host, role).ifPresent(ProcessHandle::destroyForcibly);
        for (long pid : pidsInNamespace(host)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (Role role : host.roles()) waitGone(host, role, Duration.ofSeconds(10));
    }

    /** SIGTERM to the host's components, SIGKILL to what is left after {@code grace}. */
    void stop(ClusterHost host, Duration grace) {
        for (Role role : host.roles()) process(host, role).ifPresent(ProcessHandle::destroy);
        for (Role role : host.roles()) waitGone(host, role, grace);
        kill9(host);
    }

    /** A signal ({@code INT}, {@code TERM}, {@code KILL}...) to one component of the host. */
    void signal(ClusterHost host, Role role, String signal) {
        process(host, role).ifPresent(p -> Command.quietly("kill", "-" + signal, String.valueOf(p.pid())));
    }

    boolean waitGone(ClusterHost host, Role role, Duration timeout) {
        Optional<ProcessHandle> p = process(host, role);
        if (p.isEmpty()) return true;
        try {
            p.get().onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.get().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
