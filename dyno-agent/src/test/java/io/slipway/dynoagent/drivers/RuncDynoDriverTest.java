package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.SandboxSettings;
import io.slipway.dynoagent.lifecycle.PortProbe;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.testing.AcceptCounter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conformance suite plus what only a container gives: a non-root user, isolation, limits. */
class RuncDynoDriverTest extends DynoDriverConformance {
    private RuncDynoDriver driver;

    @BeforeAll
    static void needsRunc() {
        Assumptions.assumeTrue(Drivers.sandboxProblem("runc") == null, "runc tests need root, runc, ip and nft");
    }

    @Override
    protected DynoDriver driver() {
        if (driver == null) {
            driver = new RuncDynoDriver("runc", tmp.resolve("agent"), Path.of("/"),
                    "test-" + UUID.randomUUID().toString().substring(0, 8), SandboxSettings.defaults());
        }
        return driver;
    }

    private RuncDynoDriver runc() {
        return (RuncDynoDriver) driver();
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) driver.close();
    }

    @Test
    void runsAsTheAppsOwnUserNotRoot() throws Exception {
        Dyno d = start("echo \"uid=$(id -u) gid=$(id -g)\"");
        assertEquals(0, d.exit());
        int uid = driver().uidFor(APP);
        assertTrue(uid >= 200000, "uid " + uid);
        assertTrue(d.lines.contains("uid=" + uid + " gid=" + uid), d.lines.toString());
        assertEquals(uid, driver().uidFor(APP), "an app keeps its uid");
        assertNotEquals(uid, driver().uidFor("another-app"), "two apps never share a uid");
    }

    @Test
    void seesNeitherAnotherDynosAppNorItsProcesses() throws Exception {
        Path appA = appDir("app-a");
        Files.writeString(appA.resolve("secret-of-a.txt"), "a");
        chownForDyno(appA, "app-a");
        Dyno a = new Dyno("app-a", "web.1", "echo ready; exec -a marker-of-dyno-a sleep 300", Map.of(), appA,
                512L << 20, 256);
        a.awaitLine("ready");
        Dyno b = new Dyno("app-b", "web.2", "ls /app; for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done",
                Map.of(), appDir("app-b"), 512L << 20, 256);
        assertEquals(0, b.exit());
        assertTrue(b.lines.contains("hello.txt"), b.lines.toString());
        assertFalse(b.lines.contains("secret-of-a.txt"), b.lines.toString());
        assertFalse(b.lines.stream().anyMatch(l -> l.contains("marker-of-dyno-a")), b.lines.toString());
        assertTrue(b.lines.stream().noneMatch(l -> l.contains("java")), "sees the host's processes: " + b.lines);
    }

    @Test
    void theRootFileSystemIsReadOnlyButAppAndTmpAreWritable() throws Exception {
        Dyno d = start("touch /usr/x 2>/dev/null; echo usr=$?; touch /x 2>/dev/null; echo root=$?; "
                + "touch /app/x && echo app=ok; touch /tmp/x && echo tmp=ok");
        assertEquals(0, d.exit());
        assertFalse(d.lines.contains("usr=0"), d.lines.toString());
        assertFalse(d.lines.contains("root=0"), d.lines.toString());
        assertTrue(d.lines.contains("app=ok") && d.lines.contains("tmp=ok"), d.lines.toString());
    }

    @Test
    void aProcessGoingOverTheMemoryLimitIsKilled() throws Exception {
        Dyno d = new Dyno("web.1", "python3 -c \"b = bytearray(300 * 1024 * 1024); print('survived')\"", Map.of(),
                appDir(), 64L << 20, 256);
        int code = d.exit();
        assertEquals(137, code, d.lines.toString());
        assertFalse(d.lines.contains("survived"), d.lines.toString());
    }

    @Test
    void thePidsLimitHolds() throws Exception {
        String script = "import threading, time\n"
                + "started = 0\n"
                + "try:\n"
                + "    for i in range(200):\n"
                + "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n"
                + "        started += 1\n"
                + "    print('all started')\n"
                + "except RuntimeError:\n"
                + "    print('limited')\n";
        Dyno d = new Dyno("worker.1", "python3 -c \"$SCRIPT\"", Map.of("SCRIPT", script), appDir(), 512L << 20, 32);
        d.exit();
        assertTrue(d.lines.contains("limited"), d.lines.toString());
        assertNotEquals(true, d.lines.contains("all started"));
    }

    // ---- the hostile tenant: what a dyno must not reach or exhaust ----

    /** Connects to each {@code host:port} argument with a 3 s bound and prints {@code open} or {@code blocked}. */
    private static final String PROBE = "import socket, sys\n"
            + "for target in sys.argv[1:]:\n"
            + "    host, port = target.rsplit(':', 1)\n"
            + "    s = socket.socket()\n"
            + "    s.settimeout(3)\n"
            + "    try:\n"
            + "        s.connect((host, int(port)))\n"
            + "        print('open ' + target, flush=True)\n"
            + "    except Exception as e:\n"
            + "        print('blocked ' + target + ' ' + type(e).__name__, flush=True)\n"
            + "    finally:\n"
            + "        s.close()\n";

    private Dyno probe(String appId, String... targets) throws Exception {
        return new Dyno(appId, "worker.1", "python3 -c \"$PROBE\" " + String.join(" ", targets),
                Map.of("PROBE", PROBE), appDir(appId), 256L << 20, 64);
    }

    private Dyno webServer(String appId, int port) throws Exception {
        Dyno web = new Dyno(appId, "web.1", "exec python3 -m http.server $PORT --bind 0.0.0.0", Map.of(),
                appDir(appId), 256L << 20, 64, port);
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!PortProbe.accepts("127.0.0.1", web.spec.port())) {
            assertNull(web.running.waitFor(Duration.ofMillis(100)), "the server exited: " + web.lines);
            assertTrue(System.nanoTime() < deadline, "never reachable on $PORT: " + web.lines);
        }
        return web;
    }

    /** An IPv4 address of the host that is not loopback and not a sandbox's: what "the host" is from outside. */
    private static String hostAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isLoopback() || !nic.isUp() || nic.getName().startsWith("slpw")) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address) return a.getHostAddress();
            }
        }
        Assumptions.abort("the host has no non-loopback IPv4 address");
        return null;
    }

    @Test
    void aDynoReachesNeitherTheHostNorThePlatformNorAnotherAppsDyno() throws Exception {
        String host = hostAddress();
        try (AcceptCounter platform = new AcceptCounter()) {
            int p = platform.port(); // stands in for PostgreSQL, the object store, the api-server
            Dyno victim = webServer("victim-app", LocalPorts.freePort());
            int vp = victim.spec.port();
            String victimAddress = runc().addressOf(victim.spec.id());
            // the router's way in works, from loopback and from the host's address
            assertTrue(PortProbe.accepts(host, vp), "the router cannot reach the web dyno at " + host + ":" + vp);

            String gateway = runc().network().gateway();
            Dyno attacker = probe("attacker-app", "127.0.0.1:" + p, host + ":" + p, gateway + ":" + p,
                    victimAddress + ":" + vp, host + ":" + vp, "127.0.0.1:" + vp, gateway + ":" + vp,
                    "169.254.169.254:80");
            assertEquals(0, attacker.exit(), attacker.lines.toString());
            assertEquals(8, attacker.lines.stream().filter(l -> l.startsWith("blocked ")).count(),
                    attacker.lines.toString());
            assertEquals(0, platform.accepted(), "a dyno connected to a host port");
        }
    }

    @Test
    void aDynoReachesTheAddonServersListedAndNoOtherHostPort() throws Exception {
        String host = hostAddress();
        try (ServerSocket addonServer = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
             ServerSocket platform = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            int service = addonServer.getLocalPort(); // stands in for the apps' PostgreSQL
            driver = new RuncDynoDriver("runc", tmp.resolve("agent"), Path.of("/"),
                    "test-" + UUID.randomUUID().toString().substring(0, 8),
                    SandboxSettings.fromEnv(Map.of("SLIPWAY_SANDBOX_SERVICES", host + ":" + service)));
            Dyno d = probe("addon-user-app", host + ":" + service, host + ":" + platform.getLocalPort(),
                    "127.0.0.1:" + service);
            assertEquals(0, d.exit(), d.lines.toString());
            assertTrue(d.lines.contains("open " + host + ":" + service), d.lines.toString());
            assertTrue(d.lines.stream().anyMatch(l -> l.startsWith("blocked " + host + ":" + platform.getLocalPort() + " ")),
                    d.lines.toString());
            assertTrue(d.lines.stream().anyMatch(l -> l.startsWith("blocked 127.0.0.1:" + service + " ")), d.lines.toString());
        }
    }

    @Test
    void aDynoHasNoIpv6ToGoAroundTheRules() throws Exception {
        // the host's services listening on [::] would otherwise be one link-local address away
        Dyno d = start("awk '{ print \"inet6 \" $6 }' /proc/net/if_inet6");
        assertEquals(0, d.exit());
        assertEquals(List.of("inet6 lo"), d.lines);
    }

    @Test
    void aDynoReachesTheOutsideWorldThroughTheHostsAddress() throws Exception {
        // a network namespace of the test's own stands in for the internet: 198.18.0.0/15 is not denied
        String tag = Long.toHexString(System.nanoTime() & 0xffffffL);
        String ns = "slwtest-" + tag;
        String hostSide = "swt" + tag;
        int octet = 1 + (int) (System.nanoTime() % 250);
        String outside = "198.18." + octet + ".2";
        List<Process> started = new ArrayList<>();
        try {
            sh("ip netns add " + ns);
            sh("ip link add " + hostSide + " type veth peer name eth0 netns " + ns);
            sh("ip addr add 198.18." + octet + ".1/30 dev " + hostSide + " && ip link set " + hostSide + " up");
            sh("ip -n " + ns + " addr add " + outside + "/30 dev eth0 && ip -n " + ns + " link set eth0 up");
            int port = LocalPorts.freePort();
            Process server = new ProcessBuilder("ip", "netns", "exec", ns, "python3", "-c",
                    "import socket\ns = socket.socket()\ns.bind(('0.0.0.0', " + port + "))\ns.listen()\n"
                            + "print('listening', flush=True)\nc, a = s.accept()\nprint('peer ' + a[0], flush=True)\n")
                    .redirectErrorStream(true).start();
            started.add(server);
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
            assertEquals("listening", out.readLine());
            Dyno d = probe("outgoing-app", outside + ":" + port);
            assertEquals(0, d.exit());
            assertTrue(d.lines.contains("open " + outside + ":" + port), d.lines.toString());
            assertEquals("peer 198.18." + octet + ".1", out.readLine(), "the dyno leaves masqueraded");
        } finally {
            for (Process p : started) p.destroyForcibly();
            sh("ip netns del " + ns + " 2>/dev/null; ip link del " + hostSide + " 2>/dev/null; true");
        }
    }

    @Test
    void aDynoBindingManyPortsStopsNoOtherDyno() throws Exception {
        int port = LocalPorts.freePort();
        String hog = "import socket\nheld = []\n"
                + "for p in range(" + port + ", " + Math.min(65535, port + 200) + "):\n"
                + "    s = socket.socket()\n"
                + "    try:\n"
                + "        s.bind(('0.0.0.0', p)); s.listen(); held.append(s)\n"
                + "    except OSError:\n"
                + "        pass\n"
                + "print('holding %d' % len(held), flush=True)\n"
                + "import time\ntime.sleep(300)\n";
        Dyno hogger = new Dyno("hog-app", "worker.1", "python3 -c \"$HOG\"", Map.of("HOG", hog), appDir("hog-app"),
                256L << 20, 64);
        long deadline = System.nanoTime() + LONG.toNanos();
        while (hogger.lines.stream().noneMatch(l -> l.startsWith("holding "))) {
            assertTrue(System.nanoTime() < deadline, "the hog never bound: " + hogger.lines);
            assertNull(hogger.running.waitFor(Duration.ofMillis(50)), hogger.lines.toString());
        }
        assertNotEquals("holding 0", hogger.lines.get(0));
        Dyno web = webServer("other-app", port); // the very port the hog holds in its own namespace
        assertTrue(PortProbe.accepts("127.0.0.1", web.spec.port()));
    }

    @Test
    void tmpAndAppStopAtTheirSizeAndTheHostsDiskIsUntouched() throws Exception {
        Path slug = tmp.resolve("disk").resolve("slug");
        int uid = runc().uidFor(APP);
        runc().prepareSlugDir(slug, 32L << 20, uid);
        try {
            Path app = Files.createDirectories(slug.resolve("app"));
            Files.setAttribute(app, "unix:uid", uid);
            Files.setAttribute(app, "unix:gid", uid);
            Dyno d = new Dyno(APP, "worker.1", "dd if=/dev/zero of=/tmp/fill bs=1M count=200 2>&1; echo tmp=$?; "
                    + "dd if=/dev/zero of=/app/fill bs=1M count=200 2>&1; echo app=$?", Map.of(), app, 64L << 20, 64);
            assertEquals(0, d.exit(), d.lines.toString());
            assertEquals(2, d.lines.stream().filter(l -> l.contains("No space left on device")).count(),
                    d.lines.toString());
            assertTrue(d.lines.contains("tmp=1") && d.lines.contains("app=1"), d.lines.toString());
            long allocated = Long.parseLong(sh("stat -c %b " + slug.resolveSibling("slug.img")).trim()) * 512;
            assertTrue(allocated <= 40L << 20, "the image grew to " + allocated + " bytes on the host");
        } finally {
            runc().releaseSlugDir(slug);
        }
    }

    @Test
    void anotherAppsProcessEnvironmentIsNotReadableByItsUser() throws Exception {
        String marker = "marker-" + UUID.randomUUID().toString().substring(0, 8);
        Dyno a = new Dyno("app-a", "worker.1", "echo ready; exec -a " + marker + " sleep 300",
                Map.of("DATABASE_URL", "postgres://secret-of-a"), appDir("app-a"), 256L << 20, 64);
        a.awaitLine("ready");
        long pid = -1;
        long deadline = System.nanoTime() + LONG.toNanos();
        while (pid < 0) {
            assertTrue(System.nanoTime() < deadline, "the dyno's process never showed up on the host");
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    if (!p.getFileName().toString().matches("\\d+")) continue;
                    try {
                        if (Files.readString(p.resolve("cmdline")).startsWith(marker)) pid = Long.parseLong(
                                p.getFileName().toString());
                    } catch (java.io.IOException gone) {
                        // exited meanwhile
                    }
                }
            }
        }
        String environ = "/proc/" + pid + "/environ";
        int uidA = runc().uidFor("app-a");
        int uidB = runc().uidFor("app-b");
        // the control: the owner's uid reads it, so the refusal below is the uid boundary and nothing else
        assertTrue(sh("setpriv --reuid=" + uidA + " --regid=" + uidA + " --clear-groups cat " + environ
                + " | tr '\\0' '\\n'").contains("secret-of-a"));
        String attempt = sh("setpriv --reuid=" + uidB + " --regid=" + uidB + " --clear-groups cat " + environ
                + " 2>&1; echo rc=$?");
        assertFalse(attempt.contains("secret-of-a"), attempt);
        assertTrue(attempt.contains("Permission denied"), attempt);
    }

    @Test
    void dockersDefaultSeccompProfileAndNoCapabilitiesApply() throws Exception {
        Dyno d = start("grep -E '^(Seccomp|CapEff|NoNewPrivs):' /proc/self/status; unshare -U true 2>/dev/null; "
                + "echo unshare=$?");
        assertEquals(0, d.exit());
        assertTrue(d.lines.contains("Seccomp:\t2"), d.lines.toString());
        assertTrue(d.lines.contains("CapEff:\t0000000000000000"), d.lines.toString());
        assertTrue(d.lines.contains("NoNewPrivs:\t1"), d.lines.toString());
        assertFalse(d.lines.contains("unshare=0"), "a dyno made a user namespace: " + d.lines);
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
