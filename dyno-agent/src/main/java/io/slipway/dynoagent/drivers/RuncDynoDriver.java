package io.slipway.dynoagent.drivers;

import io.slipway.dynoagent.config.SandboxSettings;
import io.slipway.shared.sandbox.SandboxNetwork;
import io.slipway.shared.sandbox.SizedDisk;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs each dyno in its own runc container ({@link DynoBundle}) and network namespace ({@link SandboxNetwork}):
 * a web dyno's {@code $PORT} is published on the host's addresses (destination NAT to the dyno's own address,
 * same port), which is how the router and the agent's port probe reach it; nothing else reaches it, and it
 * reaches neither the host nor other dynos. Each app's dynos run as the app's own uid ({@link AppUids}) and
 * their {@code /app} lives on a sized file system ({@link SizedDisk}). Containers are named
 * {@code <prefix><dyno id>} and kept in the agent's own runc state directory, so the leftovers of an agent that
 * died can be found and removed at the next start. Signals go to every process of the container
 * ({@code runc kill --all}); a container's init dying takes all its processes with it.
 */
public final class RuncDynoDriver implements DynoDriver {
    private static final Logger LOG = Logger.getLogger(RuncDynoDriver.class.getName());
    private final String runc;
    private final Path stateRoot;
    private final Path stackRoot;
    private final String prefix;
    private final Path dataDir;
    private final String agentId;
    private final SandboxSettings sandbox;
    private final AppUids uids;
    private final Map<String, SandboxNetwork.Lease> leases = new ConcurrentHashMap<>();
    /** Containers started here and not yet cleaned up: the volumes they bind stay mounted. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final AgentVolumes volumes;
    private SandboxNetwork network;

    /**
     * @param dataDir the agent's data directory: runc state ({@code runc/}), the app uids, the claimed subnet
     * @param agentId names this agent's containers and network; leftovers are recognised by it
     */
    public RuncDynoDriver(String runc, Path dataDir, Path stackRoot, String agentId, SandboxSettings sandbox) {
        this.runc = runc;
        this.dataDir = dataDir.toAbsolutePath();
        this.stateRoot = this.dataDir.resolve("runc");
        this.stackRoot = stackRoot;
        this.agentId = agentId;
        this.prefix = Drivers.containerPrefix(agentId);
        this.sandbox = sandbox;
        this.uids = new AppUids(this.dataDir.resolve("app-uids"), sandbox.uidFrom(), sandbox.uidTo());
        this.volumes = new AgentVolumes(this.dataDir);
    }

    /** The agent's dyno network, set up at first use (removing what an earlier run of this agent left). */
    public synchronized SandboxNetwork network() throws IOException {
        if (network == null) {
            network = SandboxNetwork.open("agent:" + agentId, sandbox.subnet(), sandbox.denied(), sandbox.services(),
                    dataDir);
        }
        return network;
    }

    /** The address of a running dyno's own network namespace (tests, diagnostics); null when not running. */
    public String addressOf(String dynoId) {
        SandboxNetwork.Lease lease = leases.get(prefix + dynoId);
        return lease == null ? null : lease.address();
    }

    @Override
    public int uidFor(String appId) throws IOException {
        return uids.uidFor(appId);
    }

    @Override
    public void prepareSlugDir(Path slugDir, long bytes, int uid) throws IOException {
        SizedDisk.mount(image(slugDir), slugDir, bytes, uid, uid);
    }

    @Override
    public void releaseSlugDir(Path slugDir) {
        SizedDisk.unmount(image(slugDir), slugDir);
    }

    /** {@link AgentVolumes}: mounted once, bound into every dyno using it. */
    @Override
    public Path mountVolume(String volumeId, long bytes, int uid) throws IOException {
        return volumes.mount(volumeId, bytes, uid);
    }

    @Override
    public List<String> volumeIds() {
        return volumes.ids();
    }

    @Override
    public void deleteVolume(String volumeId) {
        volumes.delete(volumeId);
    }

    private static Path image(Path slugDir) {
        return slugDir.resolveSibling(slugDir.getFileName() + ".img");
    }

    @Override
    public synchronized void close() {
        if (network != null) network.close();
        network = null;
        releaseVolumes();
    }

    /**
     * Unmounts the volumes no dyno of this driver still runs on (on a clean stop the agent has stopped them all),
     * so a stopped platform holds no mount or loop device. A container runc lists that this driver did not start
     * might bind any volume: then every volume stays mounted.
     */
    private void releaseVolumes() {
        java.util.Set<Path> inUse = new java.util.HashSet<>();
        for (Running r : running.values()) inUse.addAll(r.volumes);
        for (String id : runningDynoIds()) {
            if (!running.containsKey(prefix + id)) {
                LOG.warning("container " + prefix + id + " is not this driver's: its volumes stay mounted");
                return;
            }
        }
        volumes.unmountAllBut(inUse);
    }

    /** Whether dynos can be isolated here: Linux, root, and a working runc. */
    public static boolean usable(String runc) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) return false;
        try {
            int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (uid != 0) return false;
            Process p = new ProcessBuilder(runc, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String name() {
        return "runc";
    }

    @Override
    public String appPathInside(DynoSpec spec) {
        return "/app";
    }

    @Override
    public boolean runsImages() {
        return true;
    }

    @Override
    public RunningDyno start(DynoSpec spec) throws IOException {
        String container = prefix + spec.id();
        Path bundle = spec.workDir().resolve("bundle");
        Files.createDirectories(stateRoot);
        run(List.of(runc, "--root", stateRoot.toString(), "delete", "-f", container)); // a restart reuses the name
        SandboxNetwork net = network();
        SandboxNetwork.Lease old = leases.remove(container);
        if (old != null) net.release(old);
        SandboxNetwork.Lease lease = net.attach(container);
        try {
            // only web dynos are routed to; the others' $PORT stays inside their own namespace
            if (spec.type().equals("web")) net.publish(lease, spec.port());
            if (spec.image() != null) ImageBundle.write(spec, bundle, lease.netnsPath());
            else DynoBundle.write(spec, stackRoot, bundle, lease.netnsPath());
            Process process = new ProcessBuilder(runc, "--root", stateRoot.toString(), "run", "--bundle",
                    bundle.toAbsolutePath().toString(), container)
                    .redirectErrorStream(true)
                    .start();
            leases.put(container, lease);
            Thread pump = OutputPump.start(process.getInputStream(), spec.lines(), spec.raw(), container + "-out");
            Running dyno = new Running(container, process, pump, lease,
                    spec.volumes().stream().map(v -> v.source().toAbsolutePath().normalize()).toList());
            running.put(container, dyno);
            return dyno;
        } catch (IOException | RuntimeException e) {
            net.release(lease);
            throw e;
        }
    }

    @Override
    public void cleanupLeftovers() {
        SizedDisk.unmountAllUnder(dataDir.resolve("dynos"));
        try {
            network(); // opening it removes the namespaces, links and rules an earlier run left
        } catch (IOException e) {
            LOG.warning("cannot set up the dyno network yet: " + e.getMessage());
        }
        String list = run(List.of(runc, "--root", stateRoot.toString(), "list", "-q"));
        if (list == null) return;
        for (String id : list.split("\n")) {
            id = id.trim();
            if (!id.startsWith(prefix)) continue;
            LOG.warning("removing container " + id + " left behind by an earlier run of this agent");
            run(List.of(runc, "--root", stateRoot.toString(), "kill", id, "KILL"));
            run(List.of(runc, "--root", stateRoot.toString(), "delete", "-f", id));
        }
    }

    @Override
    public List<String> runningDynoIds() {
        List<String> ids = new ArrayList<>();
        String list = run(List.of(runc, "--root", stateRoot.toString(), "list", "-q"));
        if (list == null) return ids;
        for (String id : list.split("\n")) {
            if (id.trim().startsWith(prefix)) ids.add(id.trim().substring(prefix.length()));
        }
        return ids;
    }

    @Override
    public boolean dynosOutliveTheAgent() {
        return true; // containers are not the agent's children: they run on when it dies
    }

    /** Runs a runc command to its end and answers its output, or null when it failed. */
    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out.toString(StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private final class Running implements RunningDyno {
        private final String container;
        private final Process process;
        private final Thread pump;
        private final SandboxNetwork.Lease lease;
        private final List<Path> volumes;

        Running(String container, Process process, Thread pump, SandboxNetwork.Lease lease, List<Path> volumes) {
            this.container = container;
            this.process = process;
            this.pump = pump;
            this.lease = lease;
            this.volumes = volumes;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public Integer waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS)) return null;
            pump.join(5_000);
            return process.exitValue();
        }

        @Override
        public void signal(Signal signal) {
            if (!process.isAlive()) return;
            if (run(List.of(runc, "--root", stateRoot.toString(), "kill", "--all", container, signal.name())) == null
                    && signal == Signal.KILL) {
                process.destroyForcibly(); // not created yet, or runc is stuck: at least end runc itself
            }
        }

        @Override
        public void cleanup() {
            if (process.isAlive()) {
                signal(Signal.KILL);
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            run(List.of(runc, "--root", stateRoot.toString(), "delete", "-f", container));
            running.remove(container, this);
            if (leases.remove(container, lease)) {
                SandboxNetwork net;
                synchronized (RuncDynoDriver.this) {
                    net = network;
                }
                if (net != null) net.release(lease);
            }
        }
    }
}
