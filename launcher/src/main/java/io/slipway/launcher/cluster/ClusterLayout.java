package io.slipway.launcher.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Names and addresses of one cluster, all derived from its random id and its /24 so that clusters started side by
 * side (parallel tests) never collide: namespaces {@code slc-<id>-<host>}, bridge {@code slcb<id>}, veth links
 * {@code slc<id><nn>} (15 characters at most, the kernel's limit), nftables table {@code slc_<id>}.
 *
 * @param id     six hex digits
 * @param prefix the first three octets of the cluster's /24, e.g. {@code 10.151.37}
 * @param agents how many dyno-agent hosts
 */
public record ClusterLayout(String id, String prefix, int agents) {
    public static final int API_PORT = 5443;
    public static final int INTERNAL_PORT = 5003;
    public static final int RENDEZVOUS_PORT = 5002;
    public static final int GIT_HTTP_PORT = 5001;
    public static final int GIT_SSH_PORT = 2222;
    public static final int ROUTER_PORT = 8080;
    public static final int ROUTER_TLS_PORT = 8443;
    public static final int POSTGRES_PORT = 5432;
    public static final int OBJECT_STORE_PORT = 9000;
    /**
     * The host of the apps' PostgreSQL (heroku-postgresql add-ons): a server apart from the platform's own on
     * {@code storage}, because dynos must reach the add-on server and must never reach the platform's database.
     */
    public static final String ADDONS_DB = "addons-db";
    /** heroku-redis instances' port range, on {@link #REDIS_HOST}'s private address. */
    public static final int REDIS_FIRST_PORT = 6400;
    public static final int REDIS_LAST_PORT = 6999;
    /** The api-server replica that runs the heroku-redis instances (the others only record add-ons). */
    public static final String REDIS_HOST = "api-1";
    /** Instances run as uids from here (api-servers run as root here; dynos use 200000-299999). */
    public static final int REDIS_UID_BASE = 310_000;

    public ClusterLayout {
        if (!id.matches("[0-9a-f]{6}")) throw new IllegalArgumentException("bad cluster id " + id);
        if (agents < 1 || agents > 20) throw new IllegalArgumentException("--agents must be 1 to 20");
    }

    public String cidr() { return prefix + ".0/24"; }
    /** What dynos may reach on the Redis host, as {@code SLIPWAY_SANDBOX_SERVICES} spells it: that range only. */
    public String redisService() { return host(REDIS_HOST).address() + ":" + REDIS_FIRST_PORT + "-" + REDIS_LAST_PORT; }
    /** The bridge's address in the root namespace: the hosts' default route, and the balancer's private side. */
    public String gateway() { return prefix + ".1"; }
    public String bridge() { return "slcb" + id; }
    public String nftTable() { return "slc_" + id; }
    public String netns(ClusterHost host) { return "slc-" + id + "-" + host.name(); }
    public String veth(ClusterHost host) { return String.format("slc%s%02d", id, host.index()); }
    public String vethPeer(ClusterHost host) { return String.format("slp%s%02d", id, host.index()); }

    /**
     * The agent id of an agent host: unique across clusters, because an agent names its dynos' network namespaces
     * (machine-wide, in /run/netns) after it.
     */
    public String agentId(ClusterHost host) { return host.name() + "." + id; }

    public List<ClusterHost> hosts() {
        List<ClusterHost> hosts = new ArrayList<>();
        add(hosts, "storage", 10, List.of(Role.POSTGRES, Role.OBJECT_STORE));
        add(hosts, "api-1", 11, List.of(Role.API_SERVER));
        add(hosts, "api-2", 12, List.of(Role.API_SERVER));
        add(hosts, "git", 20, List.of(Role.GIT_GATEWAY));
        add(hosts, "build-1", 31, List.of(Role.BUILD_WORKER));
        add(hosts, "build-2", 32, List.of(Role.BUILD_WORKER));
        for (int i = 1; i <= agents; i++) add(hosts, "agent-" + i, 40 + i, List.of(Role.DYNO_AGENT));
        add(hosts, "router-1", 71, List.of(Role.ROUTER));
        add(hosts, "router-2", 72, List.of(Role.ROUTER));
        // last, so that the other hosts keep their link names (index) whatever was added later
        add(hosts, ADDONS_DB, 15, List.of(Role.POSTGRES));
        return hosts;
    }

    public ClusterHost host(String name) {
        return hosts().stream().filter(h -> h.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host " + name + " in this cluster"));
    }

    public List<ClusterHost> hostsRunning(Role role) {
        return hosts().stream().filter(h -> h.runs(role)).toList();
    }

    private void add(List<ClusterHost> hosts, String name, int octet, List<Role> roles) {
        hosts.add(new ClusterHost(name, hosts.size(), prefix + "." + octet, roles));
    }
}
