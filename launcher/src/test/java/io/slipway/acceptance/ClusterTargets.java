package io.slipway.acceptance;

import io.slipway.launcher.cluster.Cluster;
import io.slipway.launcher.cluster.ClusterHost;
import io.slipway.launcher.cluster.ClusterLayout;
import io.slipway.launcher.cluster.Role;
import io.slipway.shared.sandbox.SandboxNetwork;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a hostile dyno on the cluster aims at, read from the machine as it is (not from the configuration, so a
 * port some component opened unexpectedly is attacked too): every TCP listener in each cluster host's network
 * namespace and on the balancer's private address, and every dyno sandbox of the agents with its address and
 * listening ports.
 */
final class ClusterTargets {
    private ClusterTargets() {}

    /** A TCP listener, at the address a dyno would aim at ({@code host} names the cluster host, or "balancer"). */
    record Listener(String host, String address, int port) {
        String target() {
            return address + ":" + port;
        }
    }

    /** A dyno's network namespace on an agent host: its own address and the ports it listens on. */
    record Sandbox(String agent, String namespace, String address, List<Integer> ports) {}

    /** Every listener of every cluster host, wildcard listeners at the host's address; loopback-only ones left out. */
    static List<Listener> hostListeners(Cluster cluster) throws Exception {
        ClusterLayout layout = cluster.state().layout();
        List<Listener> out = new ArrayList<>();
        for (ClusterHost host : layout.hosts()) {
            String ss = run("ip", "netns", "exec", layout.netns(host), "ss", "-Hltn");
            out.addAll(parse(host.name(), host.address(), ss));
        }
        return out;
    }

    /** The machine's own listeners on the balancer's private side (the bridge's address, or any address). */
    static List<Listener> balancerListeners(Cluster cluster) throws Exception {
        String gateway = cluster.state().layout().gateway();
        return parse("balancer", gateway, run("ss", "-Hltn")).stream().filter(l -> l.address().equals(gateway)).toList();
    }

    /** The dyno sandboxes now on each agent host ({@code slipway-<the agent's tag>-<n>} namespaces). */
    static List<Sandbox> sandboxes(Cluster cluster) throws Exception {
        ClusterLayout layout = cluster.state().layout();
        List<Sandbox> out = new ArrayList<>();
        String all = run("ip", "netns", "list");
        for (ClusterHost agent : layout.hostsRunning(Role.DYNO_AGENT)) {
            String prefix = "slipway-" + SandboxNetwork.tag("agent:" + layout.agentId(agent)) + "-";
            for (String line : all.split("\n")) {
                String ns = line.trim().split("\\s+")[0];
                if (!ns.startsWith(prefix)) continue;
                try {
                    String address = address(run("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", "eth0"));
                    if (address == null) continue;
                    List<Integer> ports = parse(agent.name(), address, run("ip", "netns", "exec", ns, "ss", "-Hltn"))
                            .stream().map(Listener::port).distinct().toList();
                    out.add(new Sandbox(agent.name(), ns, address, ports));
                } catch (IOException goneMeanwhile) {
                    // a sandbox being set up or torn down (a one-off dyno that ended): nothing to attack there
                }
            }
        }
        return out;
    }

    /** {@code ss -Hltn} lines to listeners; {@code *}, {@code 0.0.0.0} and {@code [::]} become {@code hostAddress}. */
    static List<Listener> parse(String host, String hostAddress, String ss) {
        List<Listener> out = new ArrayList<>();
        for (String line : ss.split("\n")) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length < 4 || !cols[0].equals("LISTEN")) continue;
            String local = cols[3];
            int colon = local.lastIndexOf(':');
            String address = local.substring(0, colon).replace("[::ffff:", "").replace("]", "").replace("[", "");
            int port = Integer.parseInt(local.substring(colon + 1));
            address = address.replaceAll("%.*$", ""); // ss adds %interface to a listener bound to a device
            if (address.equals("*") || address.equals("0.0.0.0") || address.equals("::")) address = hostAddress;
            if (address.startsWith("127.") || !address.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) continue;
            out.add(new Listener(host, address, port));
        }
        return out;
    }

    private static String address(String ipAddr) {
        for (String word : List.of(ipAddr.trim().split("\\s+"))) {
            if (word.matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+")) return word.substring(0, word.indexOf('/'));
        }
        return null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
