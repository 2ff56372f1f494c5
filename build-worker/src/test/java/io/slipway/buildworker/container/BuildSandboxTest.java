package io.slipway.buildworker.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.fs.Directories;
import io.slipway.buildworker.run.BuildDirs;
import io.slipway.buildworker.support.RuncAvailable;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.sandbox.Cidr;
import io.slipway.shared.sandbox.SandboxNetwork;
import io.slipway.shared.testing.AcceptCounter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hostile build: its own network namespace (outbound only), Docker's seccomp profile, a capped disk. */
class BuildSandboxTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    @TempDir Path tmp;
    private SandboxNetwork network;
    private final List<String> out = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void needsRunc() {
        RuncAvailable.assume();
    }

    @BeforeEach
    void openNetwork() throws IOException {
        network = SandboxNetwork.open("build-test:" + UUID.randomUUID(), Cidr.parse("10.213.0.0/16"), List.of(), tmp);
    }

    @AfterEach
    void closeNetwork() {
        network.close();
    }

    private RuncRunner.Outcome run(String script, Path buildDir) throws IOException {
        ContainerSpec spec = new ContainerSpec("slipway-sbx-" + ProcessHandle.current().pid() + "-"
                + IDS.incrementAndGet(), List.of("/bin/bash", "-c", script),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/tmp"), "/tmp/build", Path.of("/"),
                List.of(new ContainerSpec.Bind(buildDir, "/tmp/build", false)), 256L << 20, 256, 1000, 1000);
        RuncRunner runner = new RuncRunner("runc", tmp.resolve("runc"), network);
        return runner.run(spec, tmp.resolve("bundle-" + IDS.get()), Duration.ofSeconds(120), out::add, out::add,
                new Cancellation());
    }

    private Path buildDir() throws IOException {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("build"));
        Directories.chown(dir, 1000, 1000);
        return dir;
    }

    private static final String PROBE = "python3 -c \"import socket, sys\n"
            + "for t in sys.argv[1:]:\n"
            + "    h, p = t.rsplit(':', 1)\n"
            + "    s = socket.socket(); s.settimeout(3)\n"
            + "    try:\n"
            + "        s.connect((h, int(p))); print('open ' + t)\n"
            + "    except Exception as e:\n"
            + "        print('blocked ' + t)\n\" ";

    @Test
    void aBuildReachesNeitherTheHostNorThePlatform() throws Exception {
        String host = null;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback() || !nic.isUp() || nic.getName().startsWith("slpw")) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && host == null) host = a.getHostAddress();
            }
        }
        try (AcceptCounter platform = new AcceptCounter()) {
            int p = platform.port();
            List<String> targets = new ArrayList<>(List.of("127.0.0.1:" + p, network.gateway() + ":" + p,
                    "169.254.169.254:80"));
            if (host != null) targets.add(host + ":" + p);
            RuncRunner.Outcome outcome = run(PROBE + String.join(" ", targets), buildDir());
            assertEquals(0, outcome.exitCode(), out.toString());
            assertEquals(targets.size(), out.stream().filter(l -> l.startsWith("blocked ")).count(), out.toString());
            assertEquals(0, platform.accepted(), "a build connected to a host port");
        }
    }

    @Test
    void aBuildReachesTheOutsideWorld() throws Exception {
        String tag = Long.toHexString(System.nanoTime() & 0xffffffL);
        String ns = "slbtest-" + tag;
        String hostSide = "sbt" + tag;
        int octet = 1 + (int) (System.nanoTime() % 250);
        String outside = "198.19." + octet + ".2";
        Process server = null;
        try {
            sh("ip netns add " + ns + " && ip link add " + hostSide + " type veth peer name eth0 netns " + ns
                    + " && ip addr add 198.19." + octet + ".1/30 dev " + hostSide + " && ip link set " + hostSide
                    + " up && ip -n " + ns + " addr add " + outside + "/30 dev eth0 && ip -n " + ns
                    + " link set eth0 up");
            int port = LocalPorts.freePort();
            server = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c",
                    "import socket\ns = socket.socket()\ns.bind(('0.0.0.0', " + port + "))\ns.listen()\n"
                            + "print('listening', flush=True)\nc, a = s.accept()\nprint('peer ' + a[0], flush=True)\n")
                    .redirectErrorStream(true).start();
            BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("listening", lines.readLine());
            RuncRunner.Outcome outcome = run(PROBE + outside + ":" + port, buildDir());
            assertEquals(0, outcome.exitCode(), out.toString());
            assertTrue(out.contains("open " + outside + ":" + port), out.toString());
            assertEquals("peer 198.19." + octet + ".1", lines.readLine(), "the build leaves masqueraded");
        } finally {
            if (server != null) server.destroyForcibly();
            sh("ip netns del " + ns + " 2>/dev/null; ip link del " + hostSide + " 2>/dev/null; true");
        }
    }

    @Test
    void aBuildStopsAtItsDiskCapAndRunsUnderSeccomp() throws Exception {
        BuildDirs dirs = BuildDirs.create(tmp.resolve("root"), "b-" + tag(), 64L << 20);
        try {
            Directories.chown(dirs.build(), 1000, 1000);
            RuncRunner.Outcome outcome = run("grep -E '^(Seccomp|CapEff):' /proc/self/status; "
                    + "dd if=/dev/zero of=/tmp/build/fill bs=1M count=200 2>&1; echo dd=$?", dirs.build());
            assertEquals(0, outcome.exitCode(), out.toString());
            assertTrue(out.contains("Seccomp:\t2"), out.toString());
            assertTrue(out.contains("CapEff:\t0000000000000000"), out.toString());
            assertTrue(out.stream().anyMatch(l -> l.contains("No space left on device")), out.toString());
            assertTrue(out.contains("dd=1"), out.toString());
        } finally {
            dirs.delete();
        }
        assertFalse(java.nio.file.Files.exists(dirs.root()));
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }
}
