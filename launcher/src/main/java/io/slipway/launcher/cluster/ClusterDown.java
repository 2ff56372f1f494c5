package io.slipway.launcher.cluster;

import io.slipway.shared.fs.TreeDelete;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code cluster down}: every process stopped (SIGTERM, then SIGKILL), the agents' and workers' containers and
 * sandbox namespaces, the balancer, the namespaces, bridge, links and NAT table removed, and the directory's
 * runtime state and data deleted; the logs stay for a post-mortem.
 */
final class ClusterDown {
    private static final Duration GRACE = Duration.ofSeconds(15);

    private ClusterDown() {}

    static void run(ClusterDir dir) {
        Optional<ClusterState> state = ClusterState.read(dir.layoutFile());
        if (state.isEmpty()) return;
        ClusterLayout layout = state.get().layout();
        // stopping needs no checkout: the pid files and namespaces say what runs
        HostProcesses processes = new HostProcesses(null, dir, layout);
        List<ClusterHost> reverse = new ArrayList<>(layout.hosts());
        java.util.Collections.reverse(reverse);
        // the hosts stop together: each gets the grace period, not the sum of them
        List<Thread> stops = new ArrayList<>();
        for (ClusterHost host : reverse) {
            Thread t = new Thread(() -> {
                processes.stop(host, GRACE);
                SandboxLeftovers.clean(dir, layout, host);
            }, "stop-" + host.name());
            t.start();
            stops.add(t);
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the cluster", e);
            }
        }
        FrontDoor.stop(dir);
        ClusterNetwork.remove(layout);
        removeData(dir);
    }

    /** Deletes everything in the directory but the logs. */
    static void removeData(ClusterDir dir) {
        if (!Files.isDirectory(dir.root())) return;
        unmountUnder(dir.root());
        try (Stream<Path> top = Files.list(dir.root())) {
            for (Path p : top.toList()) {
                if (!p.getFileName().toString().equals("logs")) TreeDelete.deleteOrThrow(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir.root(), e);
        }
    }

    /** A sized file system an agent or worker left mounted in this namespace is unmounted, never deleted through. */
    private static void unmountUnder(Path root) {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && (f[1].equals(root.toString()) || f[1].startsWith(root + "/"))) mounts.add(f[1]);
            }
            java.util.Collections.reverse(mounts);
            for (String m : mounts) Command.quietly("umount", "-l", m);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mounts", e);
        }
    }
}
