package io.slipway.acceptance;

import static io.slipway.acceptance.TestHost.onPath;
import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.shared.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Heroku ACM end to end with a real ACME server: pebble (RFC 8555) and pebble-challtestsrv as its DNS, both
 * started here on random loopback ports, with pebble's own HTTPS certificate made here and trusted by the
 * api-server through {@code slipway.acme.ca-file}. Pebble really validates HTTP-01 by fetching
 * {@code http://<domain>:<router port>/.well-known/acme-challenge/<token>} from the platform's router (the mock
 * DNS resolves the test domains to 127.0.0.1; PEBBLE_VA_ALWAYS_VALID is never set). The stock CLI's
 * {@code certs:auto:enable}, {@code certs:auto}, {@code certs:auto:refresh} and {@code certs:auto:disable} drive it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AcmCliAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Duration ISSUE = Duration.ofSeconds(120);
    private static final List<String> PROPERTIES = List.of("slipway.acme.directory-url", "slipway.acme.ca-file",
            "slipway.acme.email", "slipway.acme.check-interval", "slipway.acme.retry-base");
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final String app = "acm-" + tag;
    private final String www = "www." + tag + ".example.test";
    /** A domain whose DNS answers SERVFAIL: its validation can only fail. */
    private final String broken = "broken." + tag + ".example.test";
    private final List<Process> processes = new ArrayList<>();
    private Platform platform;
    private HerokuCli cli;
    private Path files;
    private int pebbleManagementPort;
    private Path pebbleCa;
    private X509Certificate firstLeaf;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(onPath("pebble") && onPath("pebble-challtestsrv"),
                "needs Debian's pebble package (pebble, pebble-challtestsrv): apt-get install pebble");
        files = scratch.create("slipway-acm");
        TestPki.Issued ca = TestPki.ca("Slipway ACM Test Root " + tag);
        TestPki.Issued pebbleTls = TestPki.leaf(ca, "localhost");
        pebbleCa = files.resolve("pebble-tls-ca.pem");
        Files.writeString(pebbleCa, ca.certPem());
        Files.writeString(files.resolve("pebble-cert.pem"), pebbleTls.certPem() + ca.certPem());
        Files.writeString(files.resolve("pebble-key.pem"), pebbleTls.pkcs8KeyPem());

        int routerPort = freePort();
        int pebblePort = freePort();
        pebbleManagementPort = freePort();
        int dnsPort = freePort();
        int challManagementPort = freePort();
        Files.writeString(files.resolve("pebble.json"), """
                {"pebble": {"listenAddress": "127.0.0.1:%d", "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s", "privateKey": "%s", "httpPort": %d, "tlsPort": %d,
                  "ocspResponderURL": "", "externalAccountBindingRequired": false}}
                """.formatted(pebblePort, pebbleManagementPort, files.resolve("pebble-cert.pem"),
                files.resolve("pebble-key.pem"), routerPort, freePort()));
        spawn("challtestsrv", List.of("pebble-challtestsrv", "-dns01", "127.0.0.1:" + dnsPort, "-http01", "",
                "-https01", "", "-tlsalpn01", "", "-management", "127.0.0.1:" + challManagementPort,
                "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""));
        awaitListening(challManagementPort);
        spawn("pebble", List.of("pebble", "-config", files.resolve("pebble.json").toString(),
                "-dnsserver", "127.0.0.1:" + dnsPort));
        awaitListening(pebblePort);
        // the broken domain resolves nowhere: the mock DNS answers SERVFAIL for it
        Process servfail = new ProcessBuilder("curl", "-sS", "-f", "-d", "{\"host\":\"" + broken + "\"}",
                "http://127.0.0.1:" + challManagementPort + "/set-servfail").redirectErrorStream(true).start();
        assertTrue(servfail.waitFor(30, TimeUnit.SECONDS) && servfail.exitValue() == 0,
                new String(servfail.getInputStream().readAllBytes()));

        System.setProperty("slipway.acme.directory-url", "https://localhost:" + pebblePort + "/dir");
        System.setProperty("slipway.acme.ca-file", pebbleCa.toString());
        System.setProperty("slipway.acme.email", "acm-" + tag + "@example.com");
        System.setProperty("slipway.acme.check-interval", "1s");
        System.setProperty("slipway.acme.retry-base", "2s");
        Path dataDir = scratch.create("slipway-acm-platform").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com", routerPort));
        cli = HerokuCli.asAdminOf(platform);
        cli.run("apps:create", app).ok();
        cli.run("domains:add", www, "-a", app).ok();
        cli.run("domains:add", broken, "-a", app).ok();
    }

    @AfterAll
    void stop() {
        try {
            if (platform != null) platform.close();
        } finally {
            PROPERTIES.forEach(System::clearProperty);
            for (Process p : processes) {
                p.destroy();
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    @Order(10)
    void enableOrdersACertificateThatTheRouterServes() throws Exception {
        assertTrue(cli.run("certs:auto", "-a", app).ok().stdout().contains("Automatic Certificate Management is disabled"));
        HerokuCli.Result enable = cli.run("certs:auto:enable", "-a", app).ok();
        assertTrue(enable.output().contains("Your certificate will now be managed"), enable.output());
        assertTrue(cli.run("apps:info", "-a", app).ok().stdout().matches("(?s).*Auto Cert Mgmt:\\s+true.*"));

        HerokuCli.Result status = awaitCli(r -> line(r, www).contains("Cert issued"), "certs:auto", "-a", app);
        assertTrue(status.stdout().contains("Automatic Certificate Management is enabled"), status.output());

        firstLeaf = awaitServed(www, leaf -> issuedByPebble(leaf));
        assertTrue(firstLeaf.getSubjectAlternativeNames().stream().anyMatch(n -> www.equals(n.get(1))), firstLeaf.toString());
        // a real client verifies the whole chain up to pebble's root (read from pebble's management API)
        Path root = files.resolve("pebble-root.pem");
        run("curl", "-sS", "-f", "--cacert", pebbleCa.toString(), "-o", root.toString(),
                "https://localhost:" + pebbleManagementPort + "/roots/0");
        String verified = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}",
                "--resolve", www + ":" + platform.routerTlsPort() + ":127.0.0.1", "--cacert", root.toString(),
                "https://" + www + ":" + platform.routerTlsPort() + "/");
        assertEquals("503 0", verified, "verified by curl; the app has no dyno, so the router answers itself");
        assertTrue(cli.run("certs", "-a", app).ok().stdout().contains(www));
    }

    @Test
    @Order(20)
    void aDomainThatDoesNotReachThePlatformIsFailingWithTheReason() throws Exception {
        HerokuCli.Result status = awaitCli(r -> line(r, broken).contains("Failing") || line(r, broken).contains("Failed"),
                "certs:auto", "-a", app);
        assertTrue(status.stdout().contains("Reason"), status.output());
        assertTrue(line(status, broken).contains("Validation of " + broken + " failed"), status.output());
        assertTrue(status.stdout().contains("Some domains"), status.output());
        // the app keeps being served with its issued certificate meanwhile
        assertEquals(firstLeaf.getSerialNumber(), servedLeaf(www).getSerialNumber());
    }

    @Test
    @Order(25)
    void theChallengePathAnswersNothingElse() throws Exception {
        String body = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: " + www,
                "http://127.0.0.1:" + platform.routerPort() + "/.well-known/acme-challenge/not-a-live-token");
        assertEquals("404", body);
        String traversal = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: " + www,
                "--path-as-is", "http://127.0.0.1:" + platform.routerPort() + "/.well-known/acme-challenge/../../x");
        assertNotEquals("200", traversal);
    }

    /**
     * {@code heroku labs:enable https-only}: plain HTTP for the domain is redirected to HTTPS by the router, while
     * the renewal below still validates over plain HTTP (challenges are never redirected).
     */
    @Test
    @Order(28)
    void httpsOnlyRedirectsPlainHttpAndLeavesChallengesAlone() throws Exception {
        assertTrue(cli.run("labs", "-a", app).ok().stdout().matches("(?s).*\\[ \\] https-only\\s+Redirect plain HTTP.*"));
        cli.run("labs:enable", "https-only", "-a", app).ok();
        assertTrue(cli.run("labs", "-a", app).ok().stdout().contains("[+] https-only"));
        String expected = "301 https://" + www + ":" + platform.routerTlsPort() + "/shop?item=1";
        String redirect = "";
        for (long deadline = System.nanoTime() + ISSUE.toNanos(); !redirect.equals(expected)
                && System.nanoTime() < deadline; Thread.sleep(200)) {
            redirect = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "X-Forwarded-Proto: https",
                    "--resolve", www + ":" + platform.routerPort() + ":127.0.0.1",
                    "http://" + www + ":" + platform.routerPort() + "/shop?item=1");
        }
        assertEquals(expected, redirect, "the router followed the switch; a client's X-Forwarded-Proto changes nothing");
    }

    @Test
    @Order(30)
    void refreshReplacesTheCertificate() throws Exception {
        cli.run("certs:auto:refresh", "-a", app).ok();
        X509Certificate renewed = awaitServed(www, leaf -> issuedByPebble(leaf)
                && !leaf.getSerialNumber().equals(firstLeaf.getSerialNumber()));
        assertNotEquals(firstLeaf.getSerialNumber(), renewed.getSerialNumber());
    }

    @Test
    @Order(35)
    void labsDisableServesPlainHttpAgain() throws Exception {
        cli.run("labs:disable", "https-only", "-a", app).ok();
        String status = "";
        for (long deadline = System.nanoTime() + ISSUE.toNanos(); !status.equals("503")
                && System.nanoTime() < deadline; Thread.sleep(200)) {
            status = run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: " + www,
                    "http://127.0.0.1:" + platform.routerPort() + "/");
        }
        assertEquals("503", status, "no redirect any more: the router's own answer for an app without dynos");
    }

    @Test
    @Order(40)
    void disableStopsAndRemovesTheAcmCertificate() throws Exception {
        cli.run("certs:auto:disable", "--confirm", app, "-a", app).ok();
        assertTrue(cli.run("apps:info", "-a", app).ok().stdout().matches("(?s).*Auto Cert Mgmt:\\s+false.*"));
        assertTrue(cli.run("certs:auto", "-a", app).ok().stdout().contains("Automatic Certificate Management is disabled"));
        assertTrue(cli.run("certs", "-a", app).ok().stdout().contains("has no SSL certificates"));
        X509Certificate after = awaitServed(www, leaf -> !issuedByPebble(leaf));
        assertFalse(issuedByPebble(after));
        HerokuCli.Result domains = cli.run("domains", "-a", app).ok();
        assertTrue(domains.stdout().contains(www), domains.output());
    }

    private static boolean issuedByPebble(X509Certificate leaf) {
        return leaf.getIssuerX500Principal().getName().contains("Pebble");
    }

    private static String line(HerokuCli.Result r, String host) {
        return r.stdout().lines().filter(l -> l.trim().startsWith(host + " ")).findFirst().orElse("");
    }

    private HerokuCli.Result awaitCli(Predicate<HerokuCli.Result> done, String... args) throws Exception {
        long deadline = System.nanoTime() + ISSUE.toNanos();
        HerokuCli.Result r = cli.run(args);
        while (!(r.exitCode() == 0 && done.test(r)) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            r = cli.run(args);
        }
        assertTrue(r.exitCode() == 0 && done.test(r), "gave up waiting; last: " + r.output());
        return r;
    }

    private X509Certificate awaitServed(String host, Predicate<X509Certificate> wanted) throws Exception {
        long deadline = System.nanoTime() + ISSUE.toNanos();
        X509Certificate served = servedLeaf(host);
        while ((served == null || !wanted.test(served)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = servedLeaf(host);
        }
        assertTrue(served != null && wanted.test(served), "the router serves " + served + " for " + host);
        return served;
    }

    /** The leaf certificate the router presents for {@code host} by SNI (read without judging it). */
    private X509Certificate servedLeaf(String host) throws Exception {
        X509Certificate[][] seen = new X509Certificate[1][];
        javax.net.ssl.TrustManager record = new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {}
            public void checkServerTrusted(X509Certificate[] c, String a) { seen[0] = c; }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        };
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, new javax.net.ssl.TrustManager[] {record}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) ssl.getSocketFactory()
                .createSocket("127.0.0.1", platform.routerTlsPort())) {
            javax.net.ssl.SSLParameters params = socket.getSSLParameters();
            params.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
            socket.setSSLParameters(params);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
        } catch (IOException e) {
            return null;
        }
        return seen[0] == null ? null : seen[0][0];
    }

    private void spawn(String name, List<String> command) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(files.resolve(name + ".log").toFile());
        // no random validation delay and no nonce rejections: speed only; validation itself stays real
        b.environment().put("PEBBLE_VA_NOSLEEP", "1");
        b.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
        b.environment().remove("PEBBLE_VA_ALWAYS_VALID");
        processes.add(b.start());
    }

    /** Waits until something accepts connections on the loopback port (the process just started). */
    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                for (Process p : processes) {
                    assertTrue(p.isAlive(), "a test server exited; see the logs in " + files);
                }
                if (System.nanoTime() > deadline) throw new AssertionError("nothing listens on " + port + "; see " + files);
                Thread.sleep(100);
            }
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
