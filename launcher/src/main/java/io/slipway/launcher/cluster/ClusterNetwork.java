package io.slipway.launcher.cluster;

import java.util.List;

/**
 * The cluster's network: one namespace per host, each with {@code lo} and {@code eth0} (a veth whose other end is
 * on the cluster's bridge in the root namespace), the bridge carrying the gateway address, and an nftables table
 * that masquerades the hosts' traffic out of the machine, as dynos of {@code ./slipway up} reach the internet.
 * {@link #remove} deletes all of it and tolerates what is already gone.
 */
final class ClusterNetwork {
    private ClusterNetwork() {}

    static void create(ClusterLayout layout) {
        String bridge = layout.bridge();
        Command.run("ip", "link", "add", bridge, "type", "bridge");
        Command.run("ip", "addr", "add", layout.gateway() + "/24", "dev", bridge);
        Command.run("ip", "link", "set", bridge, "up");
        // forwarding in the root namespace is already what the agents of `slipway up` need; it is never turned off
        Command.run("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        for (ClusterHost host : layout.hosts()) addHost(layout, host);
        Command.run(List.of("nft", "-f", "-"), nat(layout), java.util.Map.of());
    }

    private static void addHost(ClusterLayout layout, ClusterHost host) {
        String ns = layout.netns(host);
        String veth = layout.veth(host);
        String peer = layout.vethPeer(host);
        Command.run("ip", "netns", "add", ns);
        Command.run("ip", "link", "add", veth, "type", "veth", "peer", "name", peer);
        Command.run("ip", "link", "set", veth, "master", layout.bridge(), "up");
        Command.run("ip", "link", "set", peer, "netns", ns);
        Command.run("ip", "-n", ns, "link", "set", peer, "name", "eth0");
        Command.run("ip", "-n", ns, "addr", "add", host.address() + "/24", "dev", "eth0");
        Command.run("ip", "-n", ns, "link", "set", "lo", "up");
        Command.run("ip", "-n", ns, "link", "set", "eth0", "up");
        Command.run("ip", "-n", ns, "route", "add", "default", "via", layout.gateway());
    }

    /** Outbound NAT for the hosts (and through them their dynos and builds), and forwarding allowed for them. */
    private static String nat(ClusterLayout layout) {
        String t = layout.nftTable();
        return "table ip " + t + " {\n"
                + "  chain forward { type filter hook forward priority 0; policy accept;\n"
                + "    iifname \"" + layout.bridge() + "\" accept\n"
                + "    oifname \"" + layout.bridge() + "\" ct state established,related accept\n"
                + "  }\n"
                + "  chain postrouting { type nat hook postrouting priority 100; policy accept;\n"
                + "    ip saddr " + layout.cidr() + " oifname != \"" + layout.bridge() + "\" masquerade\n"
                + "  }\n"
                + "}\n";
    }

    /**
     * Makes {@code https://127.0.0.1:<apiPort>} (the public URL, in every {@code output_stream_url} and
     * {@code git_url}) reach the balancer from inside each host, as a public name resolves to the balancer on real
     * hosts: loopback traffic to that port is sent to the balancer's private side ({@code route_localnet} lets a
     * loopback address be rewritten and leave the namespace, masqueraded).
     */
    static void publicUrlOnHosts(ClusterLayout layout, int apiPort) {
        String rules = "table ip slc_front {\n"
                + "  chain output { type nat hook output priority -100; policy accept;\n"
                + "    ip daddr 127.0.0.1 tcp dport " + apiPort + " dnat to " + layout.gateway() + ":" + ClusterLayout.API_PORT + "\n"
                + "  }\n"
                + "  chain postrouting { type nat hook postrouting priority 100; policy accept;\n"
                + "    ip saddr 127.0.0.0/8 oifname \"eth0\" masquerade\n"
                + "  }\n"
                + "}\n";
        for (ClusterHost host : layout.hosts()) {
            String ns = layout.netns(host);
            Command.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.conf.all.route_localnet=1");
            Command.run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"), rules, java.util.Map.of());
        }
    }

    /** Takes a host off the network (its link down at the bridge): what a cable pulled or a dead switch port does. */
    static void cut(ClusterLayout layout, ClusterHost host) {
        Command.run("ip", "link", "set", layout.veth(host), "down");
    }

    static void restore(ClusterLayout layout, ClusterHost host) {
        Command.run("ip", "link", "set", layout.veth(host), "up");
    }

    static void remove(ClusterLayout layout) {
        Command.quietly("nft", "delete", "table", "ip", layout.nftTable());
        for (ClusterHost host : layout.hosts()) {
            Command.quietly("ip", "link", "del", layout.veth(host));
            Command.quietly("ip", "netns", "del", layout.netns(host));
        }
        Command.quietly("ip", "link", "del", layout.bridge());
    }

    /** What of this cluster is still in the root namespace: the names of leftover namespaces, links and tables. */
    static List<String> leftovers(ClusterLayout layout) {
        List<String> left = new java.util.ArrayList<>();
        String netns = Command.run("ip", "netns", "list");
        for (String line : netns.split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith("slc-" + layout.id() + "-")) left.add("netns " + name);
        }
        String links = Command.run("ip", "-o", "link", "show");
        for (String line : links.split("\n")) {
            String[] parts = line.split(":\\s+");
            if (parts.length < 2) continue;
            String name = parts[1].split("@")[0];
            if (name.contains(layout.id())) left.add("link " + name);
        }
        if (Command.run("nft", "list", "tables").contains(layout.nftTable())) left.add("nft table " + layout.nftTable());
        return left;
    }
}
