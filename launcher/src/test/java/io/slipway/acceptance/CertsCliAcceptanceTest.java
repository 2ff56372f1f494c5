package io.slipway.acceptance;

import static io.slipway.shared.net.LocalPorts.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.launcher.LauncherConfig;
import io.slipway.launcher.Platform;
import io.slipway.shared.testing.ScratchDirs;
import io.slipway.shared.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stock heroku CLI's {@code certs:*} against the platform: add (with its domain selection), list, info,
 * update, remove, {@code domains:update --cert} and {@code domains} showing the SNI endpoint, the refusals
 * the user sees, and {@code certs:auto:enable}'s clear error. Certificates come from a test CA made here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CertsCliAcceptanceTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();

    private static final Pattern NAME = Pattern.compile("\\b([a-z]+-\\d{5})\\b");
    private Platform platform;
    private HerokuCli cli;
    private Path files;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final String app = "certs-" + tag;
    private final String zone = tag + ".example.test";
    private final String www = "www." + zone;
    private final TestPki.Issued ca = TestPki.ca("Slipway Test Root " + tag);
    private String endpoint;
    private java.security.cert.X509Certificate issued; // the leaf the router should serve for www now

    @BeforeAll
    void start() throws Exception {
        Path dataDir = scratch.create("slipway-certs-cli").resolve("data");
        platform = Platform.start(new LauncherConfig(dataDir, freePort(), "admin@example.com"));
        cli = HerokuCli.asAdminOf(platform);
        files = scratch.create("certs-cli");
        cli.run("apps:create", app).ok();
    }

    @AfterAll
    void stop() {
        if (platform != null) platform.close();
    }

    /** Writes the chain and key as files named {@code <base>.crt} and {@code <base>.key}; answers their paths. */
    private String[] write(String base, String chain, String key) throws Exception {
        Path crt = files.resolve(base + ".crt");
        Path k = files.resolve(base + ".key");
        Files.writeString(crt, chain);
        Files.writeString(k, key);
        return new String[] {crt.toString(), k.toString()};
    }

    @Test
    @Order(10)
    void addsACertificateAndPicksTheMatchingDomain() throws Exception {
        assertTrue(cli.run("certs", "-a", app).ok().stdout().contains("has no SSL certificates"));
        cli.run("domains:add", www, "-a", app).ok();
        TestPki.Issued leaf = TestPki.leaf(ca, "*." + zone, zone);
        issued = leaf.cert();
        String[] f = write("server", leaf.certPem() + ca.certPem(), leaf.traditionalKeyPem());
        // certs:add offers the app's domains the certificate covers (a checkbox): space picks the first, enter confirms
        HerokuCli.Result add = cli.runAnswering(List.of(" "), "certs:add", f[0], f[1], "-a", app);
        assertEquals(0, add.exitCode(), add.output());
        assertTrue(add.stdout().contains("Certificate details:"), add.output());
        assertTrue(add.stdout().contains("*." + zone), add.output());
        assertTrue(add.stdout().contains("SSL certificate is not trusted."), add.output()); // a private CA
        HerokuCli.Result list = cli.run("certs", "-a", app).ok();
        Matcher m = NAME.matcher(list.stdout());
        assertTrue(m.find(), list.output());
        endpoint = m.group(1);
        assertTrue(list.stdout().contains("*." + zone), list.output());
        // the domain picked at the prompt now uses the certificate
        HerokuCli.Result domains = cli.run("domains", "-a", app).ok();
        String line = domains.stdout().lines().filter(l -> l.contains(www)).findFirst().orElse("");
        assertTrue(line.contains(endpoint), domains.output());
    }

    /**
     * The router's HTTPS listener serves the certificate to clients asking for the domain by SNI (followed from
     * the event stream, no restart), and curl verifies it against the test CA: TLS ends in the router with the
     * user's own certificate. The app runs no dyno, so the router itself answers (Heroku's H14 page).
     */
    @Test
    @Order(15)
    void theRoutersHttpsListenerServesTheCertificateForTheDomain() throws Exception {
        awaitServed(www, issued);
        Path caFile = files.resolve("test-ca.pem");
        Files.writeString(caFile, ca.certPem());
        Process curl = new ProcessBuilder("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{ssl_verify_result}",
                "--resolve", www + ":" + platform.routerTlsPort() + ":127.0.0.1", "--cacert", caFile.toString(),
                "https://" + www + ":" + platform.routerTlsPort() + "/").redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes()).trim();
        assertTrue(curl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), out);
        assertEquals("503 0", out, "verified, and the router's own answer for an app without web dynos");
    }

    @Test
    @Order(20)
    void domainsShowTheCertificateAndDomainsUpdatePointsAtIt() throws Exception {
        String shop = "shop." + zone;
        cli.run("domains:add", shop, "-a", app, "--cert", endpoint).ok();
        cli.run("domains:update", www, "--cert", endpoint, "-a", app).ok();
        HerokuCli.Result domains = cli.run("domains", "-a", app).ok();
        for (String host : List.of(www, shop)) {
            String line = domains.stdout().lines().filter(l -> l.contains(host)).findFirst().orElse("");
            assertTrue(line.contains(endpoint), host + " in " + domains.output());
        }
        HerokuCli.Result info = cli.run("certs:info", "--show-domains", "-a", app).ok();
        assertTrue(info.stdout().contains(www) && info.stdout().contains(shop), info.output());
        assertTrue(info.stdout().contains("Common Name(s)"), info.output());
        // a domain the certificate does not cover is refused with the reason
        cli.run("domains:add", "deep.sub." + zone, "-a", app).ok();
        HerokuCli.Result refused = cli.run("domains:update", "deep.sub." + zone, "--cert", endpoint, "-a", app);
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(flat(refused.stderr()).contains("is not valid for deep.sub." + zone), refused.output());
    }

    @Test
    @Order(30)
    void updatesTheCertificate() throws Exception {
        TestPki.Issued renewed = TestPki.leaf(ca, TestPki.ec(), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(300)), "*." + zone, zone);
        String[] f = write("renewed", renewed.certPem() + ca.certPem(), renewed.pkcs8KeyPem());
        issued = renewed.cert();
        HerokuCli.Result update = cli.run("certs:update", f[0], f[1], "--confirm", app, "-a", app).ok();
        assertTrue(update.stdout().contains("Updated certificate details:"), update.output());
        String expires = renewed.cert().getNotAfter().toInstant().toString().substring(0, 10);
        assertTrue(cli.run("certs:info", "-a", app).ok().stdout().contains(expires), "expiry " + expires);
    }

    @Test
    @Order(35)
    void theRouterServesTheRenewedCertificateWithoutARestart() throws Exception {
        awaitServed(www, issued);
    }

    @Test
    @Order(40)
    void refusalsPrintWhatIsWrong() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued expired = TestPki.leaf(ca, TestPki.rsa(2048), now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(1)), www);
        expectRefusal(write("expired", expired.certPem() + ca.certPem(), expired.traditionalKeyPem()), "expired");
        TestPki.Issued good = TestPki.leaf(ca, www);
        expectRefusal(write("mismatch", good.certPem() + ca.certPem(), TestPki.leaf(ca, www).traditionalKeyPem()),
                "does not match");
        expectRefusal(write("incomplete", good.certPem(), good.traditionalKeyPem()), "incomplete");
        expectRefusal(write("garbage", "not a certificate", "not a key"), "No certificate found");

        HerokuCli.Result acm = cli.run("certs:auto:enable", "-a", app);
        assertNotEquals(0, acm.exitCode(), acm.output());
        assertTrue(flat(acm.stderr()).contains("not available"), acm.output());
        assertTrue(cli.run("apps:info", "-a", app).ok().stdout().matches("(?s).*Auto Cert Mgmt:\\s+false.*"));
    }

    private void expectRefusal(String[] f, String says) throws Exception {
        HerokuCli.Result r = cli.run("certs:add", f[0], f[1], "-a", app);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(flat(r.stderr()).contains(says), "expected '" + says + "' in " + r.output());
    }

    /** Waits until the router's HTTPS listener answers {@code host}'s SNI with {@code expected} as the leaf. */
    private void awaitServed(String host, java.security.cert.X509Certificate expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        java.security.cert.X509Certificate served = null;
        while (System.nanoTime() < deadline) {
            served = servedLeaf(host);
            if (served != null && served.getSerialNumber().equals(expected.getSerialNumber())) return;
            Thread.sleep(200);
        }
        throw new AssertionError("the router serves " + (served == null ? "nothing" : served.getSubjectX500Principal()
                + " serial " + served.getSerialNumber()) + " for " + host + ", not serial " + expected.getSerialNumber());
    }

    /** The leaf certificate the router presents for {@code host} (read without judging it). */
    private java.security.cert.X509Certificate servedLeaf(String host) throws Exception {
        java.security.cert.X509Certificate[][] seen = new java.security.cert.X509Certificate[1][];
        javax.net.ssl.TrustManager record = new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { seen[0] = c; }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
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
        } catch (java.io.IOException e) {
            return null;
        }
        return seen[0] == null ? null : seen[0][0];
    }

    /** The CLI wraps error messages at the terminal width and prefixes each line with a marker. */
    private static String flat(String stderr) {
        return stderr.replace("\u203a", " ").replaceAll("\\s+", " ");
    }

    @Test
    @Order(50)
    void removesTheCertificateAndDetachesItsDomains() throws Exception {
        cli.run("certs:remove", "--confirm", app, "-a", app).ok();
        assertTrue(cli.run("certs", "-a", app).ok().stdout().contains("has no SSL certificates"));
        HerokuCli.Result domains = cli.run("domains", "-a", app).ok();
        assertTrue(domains.stdout().contains(www), domains.output());
        assertFalse(domains.stdout().contains(endpoint), domains.output());
        // the router goes back to the platform's default certificate for the domain
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        java.security.cert.X509Certificate served = servedLeaf(www);
        while (served != null && served.getIssuerX500Principal().equals(ca.cert().getSubjectX500Principal())
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
            served = servedLeaf(www);
        }
        assertTrue(served != null && !served.getIssuerX500Principal().equals(ca.cert().getSubjectX500Principal()),
                "after certs:remove the router still serves " + served);
    }
}
