package io.slipway.launcher.cluster;

import io.slipway.shared.sandbox.Cidr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Picks a new cluster's id and /24 and creates its network under a machine-wide lock, so that two clusters started
 * at the same moment (parallel tests) never take the same subnet: a /24 of {@link #POOL} that no route of the root
 * namespace overlaps (another cluster's bridge is such a route). The pool stays clear of the dynos' and builds'
 * default pool (10.213.0.0/16), which each host uses inside its own namespace.
 */
final class ClusterAllocation {
    static final Cidr POOL = Cidr.parse("10.160.0.0/11");
    private static final Path LOCK = Path.of("/run/slipway-cluster.lock");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClusterAllocation() {}

    /** A new layout whose network {@code create} has set up while the lock was held. */
    static ClusterLayout allocate(int agents, Consumer<ClusterLayout> create) {
        try (FileChannel channel = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            List<Cidr> routes = routes();
            for (int attempt = 0; attempt < 200; attempt++) {
                long block = RANDOM.nextLong(1L << (24 - POOL.prefix()));
                Cidr candidate = POOL.block(24, block);
                if (routes.stream().anyMatch(candidate::overlaps)) continue;
                String host = candidate.host(0);
                ClusterLayout layout = new ClusterLayout(ClusterDir.randomHex(3),
                        host.substring(0, host.lastIndexOf('.')), agents);
                create.accept(layout);
                return layout;
            }
            throw new IllegalStateException("no free /24 in " + POOL + " for a cluster");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + LOCK, e);
        }
    }

    private static List<Cidr> routes() {
        List<Cidr> routes = new ArrayList<>();
        for (String line : Command.run("ip", "-4", "route", "show", "table", "all").split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) continue;
            String dest = switch (words[0]) {
                case "blackhole", "unreachable", "prohibit", "local", "broadcast" -> words.length > 1 ? words[1] : "";
                default -> words[0];
            };
            if (dest.isEmpty() || dest.equals("default")) continue;
            try {
                routes.add(Cidr.parse(dest.contains("/") ? dest : dest + "/32"));
            } catch (IllegalArgumentException e) {
                // not an IPv4 network
            }
        }
        return routes;
    }
}
