package io.slipway.launcher.cluster;

import io.slipway.launcher.UsageException;
import java.nio.file.Path;
import java.util.List;

/** {@code ./slipway cluster up|down|status [--agents N] [--dir DIR]}. */
public final class ClusterCommand {
    public static final String HELP = """
              cluster up              Start a multi-host cluster on this machine (root): one network namespace per
                                      host (storage, 2 api-servers, git-gateway, 2 build-workers, N dyno-agents,
                                      2 routers), each component its own process, HAProxy in front; returns once
                                      every component answers and writes DIR/env.sh
                  --agents N              dyno-agent hosts (default 3)
                  --dir DIR               where the cluster keeps its state (default /var/lib/slipway-cluster)
              cluster down            Stop it and remove everything it made (--dir DIR)
              cluster status          Its hosts and processes, and the front door's URLs (--dir DIR)
            """;

    private ClusterCommand() {}

    public static int run(List<String> args) {
        if (args.isEmpty()) throw new UsageException("cluster: up, down or status");
        String verb = args.get(0);
        // not under the home directory: PostgreSQL runs as postgres and must reach its data directory
        Path dir = Path.of("/var/lib/slipway-cluster");
        int agents = 3;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "--dir" -> dir = Path.of(required(a, value));
                case "--agents" -> {
                    try {
                        agents = Integer.parseInt(required(a, value));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--agents takes a number");
                    }
                }
                default -> throw new UsageException("cluster: unknown option " + a);
            }
            i++;
        }
        switch (verb) {
            case "up" -> {
                Cluster cluster = Cluster.up(dir, agents);
                System.out.print(cluster.status());
                System.out.println("Use it with: source " + cluster.envSh() + "   (stop it: ./slipway cluster down --dir " + dir + ")");
            }
            case "down" -> {
                Cluster.down(dir);
                System.out.println("cluster in " + dir.toAbsolutePath() + " removed (logs kept in " + dir.resolve("logs") + ")");
            }
            case "status" -> System.out.print(Cluster.open(dir).status());
            default -> throw new UsageException("cluster: up, down or status, not " + verb);
        }
        return 0;
    }

    private static String required(String option, String value) {
        if (value == null) throw new UsageException(option + " needs a value");
        return value;
    }
}
