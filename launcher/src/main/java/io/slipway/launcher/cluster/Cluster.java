package io.slipway.launcher.cluster;

import io.slipway.launcher.LocalCertificateAuthority;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running cluster on this machine ({@link ClusterUp}), and what operators and fault tests do to it: the
 * front door's URLs, the admin's API key, and per host {@link #kill9}, {@link #start}, {@link #cutLink},
 * {@link #restoreLink}, plus {@link #restartPostgres}. {@link #close()} is {@code cluster down}.
 */
public final class Cluster implements AutoCloseable {
    private final Path home;
    private final ClusterDir dir;
    private final ClusterState state;
    private final ClusterSecrets secrets;
    private final HostProcesses processes;
    private final ComponentReadiness readiness;

    Cluster(Path home, ClusterDir dir, ClusterState state) {
        this.home = home;
        this.dir = dir;
        this.state = state;
        this.secrets = new ClusterSecrets(dir, state.layout());
        this.processes = new HostProcesses(home, dir, state.layout());
        this.readiness = new ComponentReadiness(dir, state.layout(), secrets, processes, new Readiness(caCert()));
    }

    /** {@code cluster up}: a new cluster in {@code dir} with {@code agents} dyno-agent hosts, every component answering. */
    public static Cluster up(Path dir, int agents) {
        return ClusterUp.run(ClusterHome.find(), new ClusterDir(dir), agents);
    }

    /** The cluster already running in {@code dir}. */
    public static Cluster open(Path dir) {
        ClusterDir d = new ClusterDir(dir);
        ClusterState state = ClusterState.read(d.layoutFile())
                .orElseThrow(() -> new IllegalStateException("no cluster in " + d.root() + " (cluster up first)"));
        return new Cluster(ClusterHome.find(), d, state);
    }

    /** {@code cluster down} of the cluster in {@code dir}; nothing to do when there is none. */
    public static void down(Path dir) {
        ClusterDown.run(new ClusterDir(dir));
    }

    public ClusterState state() { return state; }
    public Path dir() { return dir.root(); }
    /** {@code https://127.0.0.1:<port>}: HEROKU_HOST, and git over HTTPS. */
    public String apiUrl() { return state.apiUrl(); }
    public int sshPort() { return state.sshPort(); }
    public int appsPort() { return state.appsPort(); }
    public int appsTlsPort() { return state.appsTlsPort(); }
    /** {@code http://<app>.localhost:<port>/} through the balancer to the routers. */
    public String appUrl(String app) { return state.appsUrl(app); }
    public Path caCert() { return dir.tls().resolve("ca.pem"); }
    public Path envSh() { return dir.envSh(); }
    public String adminApiKey() {
        return dir.secret(ClusterUp.ADMIN_API_KEY).orElseThrow(() -> new IllegalStateException("no admin key yet"));
    }
    /** The internal API through the balancer's private side (reachable from the root namespace). */
    public String internalUrl() { return "http://" + state.layout().gateway() + ":" + ClusterLayout.INTERNAL_PORT; }

    public List<String> hostNames() {
        return state.layout().hosts().stream().map(ClusterHost::name).toList();
    }

    public List<String> hostsRunning(Role role) {
        return state.layout().hostsRunning(role).stream().map(ClusterHost::name).toList();
    }

    public String address(String host) { return state.layout().host(host).address(); }

    /** SIGKILL to every process of the host at once, an agent's dynos (runc containers) included. */
    public void kill9(String hostName) {
        ClusterHost host = state.layout().host(hostName);
        processes.kill9(host);
        if (host.runs(Role.DYNO_AGENT)) SandboxLeftovers.killContainers(SandboxLeftovers.agentData(dir, host).resolve("runc"));
        if (host.runs(Role.BUILD_WORKER)) SandboxLeftovers.killContainers(SandboxLeftovers.buildRoot(dir, host).resolve("runc"));
    }

    /** Starts the host's components again (same env file, same command) and waits until they answer. */
    public void start(String hostName) {
        ClusterHost host = state.layout().host(hostName);
        for (Role role : host.roles()) {
            if (processes.alive(host, role)) continue;
            Instant since = Instant.now();
            processes.start(host, role);
            readiness.await(host, role, since);
        }
    }

    /** Whether every process of the host runs. */
    public boolean running(String hostName) {
        ClusterHost host = state.layout().host(hostName);
        return host.roles().stream().allMatch(r -> processes.alive(host, r));
    }

    /** Takes the host off the network (its link down): its processes keep running, unreachable. */
    public void cutLink(String hostName) {
        ClusterNetwork.cut(state.layout(), state.layout().host(hostName));
    }

    public void restoreLink(String hostName) {
        ClusterNetwork.restore(state.layout(), state.layout().host(hostName));
    }

    /** PostgreSQL stopped (fast shutdown: clients are disconnected) and started again; returns once it answers. */
    public void restartPostgres() {
        ClusterHost storage = state.layout().host("storage");
        // SIGINT: PostgreSQL's fast shutdown (SIGTERM's smart shutdown would wait for the pools to disconnect)
        processes.signal(storage, Role.POSTGRES, "INT");
        if (!processes.waitGone(storage, Role.POSTGRES, Duration.ofSeconds(60))) {
            throw new IllegalStateException("PostgreSQL did not stop within 60 s");
        }
        Instant since = Instant.now();
        processes.start(storage, Role.POSTGRES);
        readiness.await(storage, Role.POSTGRES, since);
    }

    /** The web dynos of {@code app} each agent is told to run (its assignments, as the agent reads them). */
    public Map<String, Integer> webDynosPerAgent(String app) {
        return new AgentAssignments(internalUrl(), secrets).webDynosPerAgent(state.layout(), app);
    }

    /** A command on the balancer's admin socket, e.g. {@code set server api/api-1 state drain}. */
    public String balancer(String command) {
        return FrontDoor.admin(dir, command);
    }

    /** One line per process: host, component, pid or "down"; then the front door. */
    public String status() {
        StringBuilder b = new StringBuilder();
        for (ClusterHost host : state.layout().hosts()) {
            for (Role role : host.roles()) {
                b.append(String.format("%-10s %-15s %-13s %s%n", host.name(), host.address(), role.component(),
                        processes.process(host, role).map(p -> "pid " + p.pid()).orElse("DOWN")));
            }
        }
        b.append(String.format("%-10s %-15s %-13s %s%n", "balancer", "127.0.0.1", "haproxy",
                FrontDoor.process(dir).map(p -> "pid " + p.pid()).orElse("DOWN")));
        b.append("API (HEROKU_HOST): ").append(apiUrl()).append('\n');
        b.append("git over SSH:      ssh://git@127.0.0.1:").append(sshPort()).append("/<app>.git\n");
        b.append("apps:              http://<app>.localhost:").append(appsPort()).append("/\n");
        b.append("apps over HTTPS:   https://<app>.localhost:").append(appsTlsPort()).append("/\n");
        b.append("env:               source ").append(envSh()).append('\n');
        return b.toString();
    }

    /** What this cluster left in the machine's namespaces (empty after {@link #close()}). */
    public List<String> leftovers() {
        List<String> left = new ArrayList<>(ClusterNetwork.leftovers(state.layout()));
        left.addAll(SandboxLeftovers.namespaces(dir, state.layout()));
        if (FrontDoor.process(dir).isPresent()) left.add("haproxy");
        for (ClusterHost host : state.layout().hosts()) {
            for (Role role : host.roles()) processes.process(host, role).ifPresent(p -> left.add(host.name() + " " + role.component() + " pid " + p.pid()));
        }
        return left;
    }

    /** The pids of every component process now running (to check after {@link #close()} that none is left). */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (ClusterHost host : state.layout().hosts()) {
            for (Role role : host.roles()) processes.process(host, role).ifPresent(p -> pids.add(p.pid()));
        }
        FrontDoor.process(dir).ifPresent(p -> pids.add(p.pid()));
        return pids;
    }

    LocalCertificateAuthority.TlsFiles tls() {
        return new LocalCertificateAuthority.TlsFiles(caCert(), dir.tls().resolve("server.pem"), dir.tls().resolve("server-key.pem"));
    }

    @Override
    public void close() {
        ClusterDown.run(dir);
    }
}
