package io.slipway.shared.sandbox;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The network namespaces of one owner's sandboxes (a dyno-agent's dynos, a build-worker's builds). The owner
 * claims a block of the pool for itself (a /24, or the whole pool when it is that small), takes its first
 * address as the gateway and gives each sandbox the next free one: a network namespace
 * ({@code /run/netns/slipway-<tag>-<n>}) holding {@code lo} and {@code eth0}, the far end of a veth pair whose
 * host end ({@code slpw<tag><n>}) carries the gateway address and a /32 route to the sandbox. Everything is
 * routed, never bridged, so every packet between sandboxes and anything else crosses the owner's nftables
 * table ({@link NftRuleset}): outbound to the internet works (masqueraded), the host, the other sandboxes and
 * the denied networks do not, and inbound is only a published port.
 *
 * <p>The claim is a blackhole route for the block ({@code ip route add} is atomic: two owners never get the same
 * block), so addresses of the block that no sandbox holds go nowhere. The owner's tag is derived from its id;
 * a restarted owner finds and removes what its previous run left behind (table, namespaces, links, claim), and
 * any owner removes what an owner whose process has ended left ({@link OwnerLeftovers}).
 */
public final class SandboxNetwork implements AutoCloseable {
    /** Always denied to sandboxes: loopback, "this network", link-local (cloud metadata), multicast, reserved. */
    public static final List<String> ALWAYS_DENIED = List.of("127.0.0.0/8", "0.0.0.0/8", "169.254.0.0/16",
            "224.0.0.0/4", "240.0.0.0/4");

    private final String tag;
    private final String table;
    private final Cidr subnet;
    private final Path stateFile;
    private final boolean[] used;
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, List<ServerSocket>> held = new HashMap<>();
    private boolean closed;

    /**
     * One sandbox's network.
     *
     * @param netnsPath what the OCI config's {@code {"type":"network","path":...}} names
     * @param address the sandbox's own address; published ports are reached there
     */
    public record Lease(String name, int index, Path netnsPath, String address, String hostIface) {}

    private SandboxNetwork(String tag, Cidr subnet, Path stateFile) {
        this.tag = tag;
        this.table = OwnerLeftovers.table(tag);
        this.subnet = subnet;
        this.stateFile = stateFile;
        this.used = new boolean[(int) Math.min(subnet.size(), 4096)];
    }

    /**
     * Sets up the owner's network: IPv4 forwarding on, leftovers of an earlier run removed, a block of
     * {@code pool} claimed, the nftables table loaded.
     *
     * @param ownerId stable and unique per owner on the host (e.g. {@code agent:<agent id>})
     * @param denied networks sandboxes must not reach besides {@link #ALWAYS_DENIED} and the pool
     * @param stateDir where the claimed block is remembered, for the cleanup after a crash
     */
    public static SandboxNetwork open(String ownerId, Cidr pool, List<Cidr> denied, Path stateDir) throws IOException {
        return open(ownerId, pool, denied, List.of(), stateDir);
    }

    /**
     * As {@link #open(String, Cidr, List, Path)}, with platform services sandboxes may connect to although they are
     * on the host or a denied network (add-on servers).
     */
    public static SandboxNetwork open(String ownerId, Cidr pool, List<Cidr> denied, List<ServiceEndpoint> services,
                                      Path stateDir) throws IOException {
        if (pool.prefix() > 29) throw new IllegalArgumentException("the sandbox network " + pool + " is too small");
        String tag = tag(ownerId);
        Path stateFile = stateDir.resolve("sandbox-subnet");
        OwnerLeftovers.remove(tag, claimedBefore(stateFile));
        OwnerLeftovers.removeOfEndedOwners(tag);
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1\n"); // sandboxes are routed through the host
        Cidr subnet = claim(pool, tag);
        Files.createDirectories(stateDir);
        Files.writeString(stateFile, subnet + "\n", StandardCharsets.UTF_8);
        SandboxNetwork network = new SandboxNetwork(tag, subnet, stateFile);
        List<Cidr> deny = new ArrayList<>();
        for (String c : ALWAYS_DENIED) deny.add(Cidr.parse(c));
        deny.add(pool);
        deny.addAll(denied);
        try {
            HostCommand.run(List.of("nft", "-f", "-"), NftRuleset.table(network.table, network.ifacePrefix(), subnet,
                    deny, services, TableOwner.current(subnet).comment()));
        } catch (IOException e) {
            network.close();
            throw e;
        }
        return network;
    }

    /** Whether {@code ip} and {@code nft} can be run here. */
    public static String missingTools() {
        for (List<String> probe : List.of(List.of("ip", "-V"), List.of("nft", "--version"))) {
            try {
                HostCommand.run(probe, null);
            } catch (IOException e) {
                return probe.get(0);
            }
        }
        return null;
    }

    /** The block this owner claimed. */
    public Cidr subnet() {
        return subnet;
    }

    /** The address the host answers sandboxes at (their default gateway); sandboxes may not connect to it. */
    public String gateway() {
        return subnet.host(1);
    }

    /** The nftables table of this owner ({@code ip} family). */
    public String table() {
        return table;
    }

    /** Creates a sandbox's network namespace, wired to the host and given its own address. */
    public synchronized Lease attach(String name) throws IOException {
        if (closed) throw new IOException("the sandbox network is closed");
        int index = -1;
        for (int i = 2; i < used.length - 1; i++) {
            if (!used[i]) {
                index = i;
                break;
            }
        }
        if (index < 0) throw new IOException("no free address left in " + subnet);
        used[index] = true;
        String netns = "slipway-" + tag + "-" + index;
        Lease lease = new Lease(name, index, Path.of("/run/netns", netns), subnet.host(index),
                ifacePrefix() + index);
        leases.put(name, lease);
        try {
            // two runs of ip (the host's side, then the namespace's), as each start of a dyno pays for them
            HostCommand.run(List.of("ip", "-batch", "-"),
                    "netns add " + netns + "\n"
                            + "link add " + lease.hostIface() + " type veth peer name eth0 netns " + netns + "\n"
                            + "addr add " + gateway() + "/32 dev " + lease.hostIface() + "\n"
                            + "link set " + lease.hostIface() + " up\n"
                            + "route add " + lease.address() + "/32 dev " + lease.hostIface() + "\n");
            HostCommand.run(List.of("ip", "-n", netns, "-batch", "-"),
                    "link set lo up\n"
                            // no IPv6 address at all (not even link-local): the rules are IPv4 rules
                            + "link set eth0 addrgenmode none\n"
                            + "addr add " + lease.address() + "/32 dev eth0\n"
                            + "link set eth0 up\n"
                            + "route add " + gateway() + " dev eth0\n"
                            + "route add default via " + gateway() + " dev eth0\n");
            // lets the DNAT from the host's 127.0.0.1 (the router on this host) leave towards the sandbox
            Files.writeString(Path.of("/proc/sys/net/ipv4/conf", lease.hostIface(), "route_localnet"), "1\n");
            // and the host drops whatever IPv6 a sandbox sends (its services listening on [::] stay out of reach)
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf", lease.hostIface(), "disable_ipv6"), "1\n");
        } catch (IOException | RuntimeException e) {
            release(lease);
            throw e instanceof IOException io ? io : new IOException(e);
        }
        return lease;
    }

    /**
     * Connections to {@code port} on any of the host's addresses go to the sandbox, on the same port. The host
     * port is also bound (never accepted on: the DNAT takes every connection first), as Docker's proxy holds its
     * published ports, so no other process or agent on the host can take it while the sandbox has it: two
     * owners publishing one port would send one app's requests to another's dyno.
     */
    public synchronized void publish(Lease lease, int port) throws IOException {
        ServerSocket placeholder = new ServerSocket();
        try {
            placeholder.setReuseAddress(false);
            placeholder.bind(new InetSocketAddress(port), 1);
            HostCommand.run(List.of("nft", "add", "element", "ip", table, "web",
                    "{ " + port + " : " + lease.address() + " }"), null);
        } catch (IOException e) {
            placeholder.close();
            throw new IOException("cannot publish port " + port + ": " + e.getMessage(), e);
        }
        held.computeIfAbsent(lease.name(), k -> new ArrayList<>()).add(placeholder);
    }

    /** The ports published for a sandbox (their placeholders hold them). */
    private List<Integer> portsOf(Lease lease) {
        List<Integer> ports = new ArrayList<>();
        for (ServerSocket s : held.getOrDefault(lease.name(), List.of())) ports.add(s.getLocalPort());
        return ports;
    }

    /** Removes the sandbox's namespace, its link and its published ports. */
    public synchronized void release(Lease lease) {
        if (leases.get(lease.name()) != lease) return;
        leases.remove(lease.name());
        List<Integer> ports = portsOf(lease);
        if (!ports.isEmpty()) {
            StringBuilder keys = new StringBuilder();
            for (int port : ports) keys.append(keys.length() == 0 ? "" : ", ").append(port);
            HostCommand.quietly(List.of("nft", "delete", "element", "ip", table, "web", "{ " + keys + " }"));
        }
        for (ServerSocket placeholder : held.getOrDefault(lease.name(), List.of())) {
            try {
                placeholder.close();
            } catch (IOException e) {
                // closed
            }
        }
        held.remove(lease.name());
        // the veth pair goes with the namespace that holds one end of it
        HostCommand.quietly(List.of("ip", "netns", "del", "slipway-" + tag + "-" + lease.index()));
        // /proc/sys/net shows this process's own network namespace; /sys/class/net shows the namespace sysfs was
        // mounted in, which differs for an owner run with `nsenter --net` (the cluster's hosts): the link then looked
        // gone, stayed while the sandbox's last process exited, and the next sandbox on the index found it taken
        if (Files.exists(Path.of("/proc/sys/net/ipv4/conf", lease.hostIface()))) {
            HostCommand.quietly(List.of("ip", "link", "del", lease.hostIface()));
        }
        used[lease.index()] = false;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Lease lease : List.copyOf(leases.values())) release(lease);
        HostCommand.quietly(List.of("nft", "delete", "table", "ip", table));
        HostCommand.quietly(List.of("ip", "route", "del", "blackhole", subnet.toString()));
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            // the next start removes the claim it names
        }
    }

    private String ifacePrefix() {
        return NftRuleset.ALL_PREFIX + tag;
    }

    /** The short tag an owner's namespaces, links and table are named by ({@code slipway-<tag>-<n>}): public so a
     * harness that kills an owner outright (the cluster's {@code kill9}) can find what it left. */
    public static String tag(String ownerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ownerId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The block an earlier run of this owner claimed, as its state file remembers it (null: none). */
    private static Cidr claimedBefore(Path stateFile) {
        try {
            if (!Files.isRegularFile(stateFile)) return null;
            return Cidr.parse(Files.readString(stateFile, StandardCharsets.UTF_8).trim());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Claims a free /24 of the pool (the whole pool when it is no larger), starting at a place the tag picks. */
    private static Cidr claim(Cidr pool, String tag) throws IOException {
        int blockPrefix = Math.max(24, pool.prefix());
        long blocks = 1L << (blockPrefix - pool.prefix());
        long start = Long.parseLong(tag, 16) % blocks;
        List<Cidr> routes = new ArrayList<>();
        for (String line : HostCommand.run(List.of("ip", "-4", "route", "show", "table", "all"), null).split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) continue;
            String dest = words[0].equals("blackhole") || words[0].equals("unreachable") || words[0].equals("local")
                    || words[0].equals("broadcast") ? (words.length > 1 ? words[1] : "") : words[0];
            if (dest.equals("default") || dest.isEmpty()) continue;
            try {
                Cidr c = Cidr.parse(dest);
                if (words[0].equals("local") || words[0].equals("broadcast")) {
                    if (c.prefix() == 32 && !pool.overlaps(c)) continue;
                }
                routes.add(c);
            } catch (IllegalArgumentException e) {
                // not an IPv4 route
            }
        }
        for (long i = 0; i < blocks; i++) {
            Cidr block = pool.block(blockPrefix, (start + i) % blocks);
            if (routes.stream().anyMatch(block::overlaps)) continue;
            try {
                HostCommand.run(List.of("ip", "route", "add", "blackhole", block.toString()), null);
                return block;
            } catch (IOException e) {
                // taken in the meantime by another owner: try the next one
            }
        }
        throw new IOException("no free /" + blockPrefix + " left in the sandbox network " + pool
                + " (set SLIPWAY_DYNO_SUBNET to a larger or other range)");
    }
}
