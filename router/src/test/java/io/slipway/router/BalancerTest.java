package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.TestCerts;
import io.slipway.router.support.Upstream;
import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators' HAProxy config ({@code deploy/haproxy/slipway.cfg}, run by the real haproxy as
 * {@code ./slipway cluster up} runs it) in front of a router with SLIPWAY_ROUTER_PROXY_PROTOCOL on: clients from
 * addresses other than the balancer's reach the dyno as themselves in X-Forwarded-For, over the HTTP backend and
 * the TLS passthrough one, and the balancer's health checks (check-send-proxy) keep the router up.
 */
class BalancerTest {
    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    @TempDir
    static Path dir;
    static TestCerts certs;
    static RouterFixture router;
    static Upstream app;
    static Process haproxy;
    static int appsPort;
    static int appsTlsPort;
    static Path stats;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HAPROXY), "haproxy is not installed");
        certs = new TestCerts(dir);
        TestCerts.Issued wildcard = certs.issue("wildcard", "*.apps.test");
        // the config's fixed router ports (8080, 8443) on a loopback address of this test's own
        String net = "127." + ThreadLocalRandom.current().nextInt(100, 250) + "." + ThreadLocalRandom.current()
                .nextInt(1, 250) + ".";
        router = RouterFixture.withProxyProtocol(new RouterConfig.Tls(8443, wildcard.chainFile(), wildcard.keyFile()),
                net + "1", 8080);
        app = router.upstream("lb");
        UUID id = UUID.randomUUID();
        router.api.putApp(ApiStub.app(id, "lb", List.of("lb.localhost", "lb.apps.test"), "up", false, app.port()));
        router.api.emit("routes.changed", id);

        appsPort = LocalPorts.freePort();
        appsTlsPort = LocalPorts.freePort();
        stats = dir.resolve("haproxy.sock");
        Map<String, String> env = new HashMap<>(Map.of(
                "SLIPWAY_FRONT_ADDR", "127.0.0.1", "SLIPWAY_API_PORT", String.valueOf(LocalPorts.freePort()),
                "SLIPWAY_SSH_PORT", String.valueOf(LocalPorts.freePort()),
                "SLIPWAY_APPS_PORT", String.valueOf(appsPort), "SLIPWAY_APPS_TLS_PORT", String.valueOf(appsTlsPort),
                "SLIPWAY_PRIVATE_ADDR", net + "2",
                "SLIPWAY_API_1", net + "3", "SLIPWAY_API_2", net + "4", "SLIPWAY_GIT_GATEWAY", net + "5",
                "SLIPWAY_ROUTER_1", net + "1"));
        env.put("SLIPWAY_ROUTER_2", net + "6"); // nobody there: its checks fail, router-1 takes everything
        env.put("SLIPWAY_CA_FILE", certs.caFile().toString());
        env.put("SLIPWAY_HAPROXY_SOCKET", stats.toString());
        ProcessBuilder pb = new ProcessBuilder(HAPROXY.toString(), "-db", "-f",
                Path.of("").toAbsolutePath().getParent().resolve("deploy/haproxy/slipway.cfg").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile());
        pb.environment().putAll(env);
        haproxy = pb.start();
        Await.until("router-1 up by its health checks, router-2 down", () -> {
            String s = showStat();
            return row(s, "routers", "router-1").contains(",UP,") && row(s, "routers_tls", "router-1").contains(",UP,")
                    && row(s, "routers", "router-1").contains("L4OK") && row(s, "routers", "router-2").contains("DOWN");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            if (!haproxy.waitFor(10, TimeUnit.SECONDS)) haproxy.destroyForcibly();
        }
        if (router != null) router.close();
    }

    @Test
    void theDynoSeesTheClientNotTheBalancerOverHttp() throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            s.connect(new InetSocketAddress("127.0.0.1", appsPort), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /plain HTTP/1.1\r\nHost: lb.localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
        }
        assertEquals("127.0.0.2", seen("/plain").headers().getFirst("X-Forwarded-For"));
    }

    @Test
    void theDynoSeesTheClientNotTheBalancerOverTlsPassthrough() throws Exception {
        try (Socket raw = new Socket()) {
            raw.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
            raw.connect(new InetSocketAddress("127.0.0.1", appsTlsPort), 10_000);
            raw.setSoTimeout(30_000);
            try (SSLSocket tls = (SSLSocket) certs.clientContext().getSocketFactory()
                    .createSocket(raw, "lb.apps.test", appsTlsPort, true)) {
                tls.getOutputStream().write(("GET /tls HTTP/1.1\r\nHost: lb.apps.test\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
            }
        }
        Upstream.Seen seen = seen("/tls");
        assertEquals("127.0.0.3", seen.headers().getFirst("X-Forwarded-For"));
        assertEquals("https", seen.headers().getFirst("X-Forwarded-Proto"));
    }

    static Upstream.Seen seen(String path) {
        return app.seen().stream().filter(s -> s.path().equals(path)).reduce((a, b) -> b).orElseThrow();
    }

    static String row(String stat, String backend, String server) {
        return stat.lines().filter(l -> l.startsWith(backend + "," + server + ",")).findFirst().orElse("");
    }

    /** HAProxy's {@code show stat} (CSV) from its admin socket; empty while it is not up. */
    static String showStat() {
        if (!Files.exists(stats)) return "";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(stats));
            ch.write(ByteBuffer.wrap("show stat\n".getBytes(StandardCharsets.US_ASCII)));
            return new String(readAll(ch), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    static byte[] readAll(SocketChannel ch) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(8192);
        while (ch.read(b) >= 0) {
            out.write(b.array(), 0, b.position());
            b.clear();
        }
        return out.toByteArray();
    }
}
