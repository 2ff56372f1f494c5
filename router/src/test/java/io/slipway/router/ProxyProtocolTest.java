package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RawHttp;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.TestCerts;
import io.slipway.router.support.Upstream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routers behind the cluster's balancer (HAProxy {@code send-proxy-v2}): with SLIPWAY_ROUTER_PROXY_PROTOCOL on,
 * the PROXY header's source address is the client the dyno sees in X-Forwarded-For and the router log's
 * {@code fwd}, on the HTTP and the HTTPS listener; a connection without a valid header is refused. With the
 * setting off, a client that sends a PROXY header itself does not get to choose its address. Headers are written
 * byte by byte here (the spec's layout), not with Netty's encoder, so the decoder is checked against the spec.
 */
class ProxyProtocolTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static RouterFixture behind;
    static RouterFixture open;
    static Upstream app;
    static Upstream openApp;

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCerts(dir);
        TestCerts.Issued wildcard = certs.issue("wildcard", "*.apps.test");
        behind = RouterFixture.withProxyProtocol(new RouterConfig.Tls(0, wildcard.chainFile(), wildcard.keyFile()));
        app = behind.upstream("pp");
        UUID id = UUID.randomUUID();
        behind.api.putApp(ApiStub.app(id, "pp", List.of("pp.localhost", "pp.apps.test"), "up", false, app.port()));
        behind.api.emit("routes.changed", id);
        Await.until("pp routed behind the balancer",
                () -> viaBalancer(v2(ANY_SOURCE), "pp.localhost", "").status() == 200);

        open = new RouterFixture();
        openApp = open.upstream("open");
        UUID openId = UUID.randomUUID();
        open.api.putApp(ApiStub.app(openId, "open", List.of("open.localhost"), "up", false, openApp.port()));
        open.api.emit("routes.changed", openId);
        Await.until("open routed", () -> {
            try {
                return open.get("open.localhost", "/").statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (behind != null) behind.close();
        if (open != null) open.close();
    }

    static final byte[] ANY_SOURCE = {(byte) 192, 0, 2, 1};

    @Test
    void theHeadersSourceIsTheClientForTheDynoAndTheLog() throws Exception {
        RawHttp.Response r = viaBalancer(v2(new byte[] {(byte) 203, 0, 113, 7}), "pp.localhost",
                "X-Forwarded-For: 10.1.2.3\r\n");
        assertEquals(200, r.status());
        Upstream.Seen seen = last(app);
        // the client's own X-Forwarded-For is kept as without a balancer, the header's source appended
        assertEquals("10.1.2.3, 203.0.113.7", seen.headers().getFirst("X-Forwarded-For"));
        assertEquals("http", seen.headers().getFirst("X-Forwarded-Proto"));
        String requestId = seen.headers().getFirst("X-Request-Id");
        Await.until("router line with the client's address", () -> behind.api.logLines().stream().anyMatch(l ->
                String.valueOf(l.get("message")).contains("request_id=" + requestId)));
        String line = behind.api.logLines().stream().map(l -> String.valueOf(l.get("message")))
                .filter(m -> m.contains("request_id=" + requestId)).findFirst().orElseThrow();
        assertTrue(line.contains(" fwd=\"203.0.113.7\" "), line);
    }

    @Test
    void everyRequestOfAKeptAliveConnectionKeepsItsClient() throws Exception {
        try (RawHttp c = new RawHttp(behind.router.port())) {
            c.send(v1("PROXY TCP6 2001:db8::7 ::1 40000 8080") + request("pp.localhost", ""));
            assertEquals(200, c.read().status());
            String ip = InetAddress.getByName("2001:db8::7").getHostAddress();
            assertEquals(ip, last(app).headers().getFirst("X-Forwarded-For"));
            c.send(request("pp.localhost", ""));
            assertEquals(200, c.read().status());
            assertEquals(ip, last(app).headers().getFirst("X-Forwarded-For"));
        }
    }

    @Test
    void overTlsTheHeaderComesBeforeTheHandshake() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", behind.router.tlsPort())) {
            raw.setSoTimeout(30_000);
            raw.getOutputStream().write(bytes(v2(new byte[] {(byte) 198, 51, 100, 23})));
            try (SSLSocket tls = (SSLSocket) certs.clientContext().getSocketFactory()
                    .createSocket(raw, "pp.apps.test", behind.router.tlsPort(), true)) {
                tls.getOutputStream().write(bytes(request("pp.apps.test", "Connection: close\r\n")));
                tls.getOutputStream().flush();
                String response = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(response.startsWith("HTTP/1.1 200"), response);
            }
        }
        Upstream.Seen seen = last(app);
        assertEquals("198.51.100.23", seen.headers().getFirst("X-Forwarded-For"));
        assertEquals("https", seen.headers().getFirst("X-Forwarded-Proto"));
    }

    @Test
    void theBalancersOwnHealthCheckIsServedAsItsOwnAddress() throws Exception {
        // HAProxy's check-send-proxy with v2 sends LOCAL: no client behind it, the socket's peer stands
        RawHttp.Response r = viaBalancer(v2Local(), "pp.localhost", "");
        assertEquals(200, r.status());
        assertEquals("127.0.0.1", last(app).headers().getFirst("X-Forwarded-For"));
    }

    @Test
    void aConnectionWithoutTheHeaderIsRefused() throws Exception {
        int before = app.seen().size();
        try (RawHttp c = new RawHttp(behind.router.port())) {
            c.send(request("pp.localhost", "X-Forwarded-For: 203.0.113.66\r\n"));
            assertTrue(c.closedByServer(), "closed without an answer");
        }
        assertEquals(before, app.seen().size(), "nothing reached the dyno");
    }

    @Test
    void aMalformedHeaderIsRefused() throws Exception {
        int before = app.seen().size();
        for (String bad : List.of(v1("PROXY TCP4 not-an-ip 127.0.0.1 1 8080"), v1("PROXY TCP4 203.0.113.66"),
                withVersion3(v2(new byte[] {(byte) 203, 0, 113, 66})))) {
            try (RawHttp c = new RawHttp(behind.router.port())) {
                c.send(bad + request("pp.localhost", ""));
                assertTrue(c.closedByServer(), "closed without an answer: " + bad.strip());
            }
        }
        assertEquals(before, app.seen().size(), "nothing reached the dyno");
    }

    @Test
    void theTlsListenerRefusesAHandshakeWithoutTheHeader() throws Exception {
        try (SSLSocket tls = (SSLSocket) certs.clientContext().getSocketFactory()
                .createSocket("127.0.0.1", behind.router.tlsPort())) {
            tls.setSoTimeout(30_000);
            assertThrows(IOException.class, tls::startHandshake);
        }
    }

    @Test
    void withTheSettingOffAClientCannotChooseItsAddressWithAHeader() throws Exception {
        try (RawHttp c = new RawHttp(open.router.port())) {
            c.send(v1("PROXY TCP4 198.51.100.66 127.0.0.1 40000 8080") + request("open.localhost", ""));
            try {
                assertFalse(c.read().status() == 200, "a PROXY line is no HTTP request");
            } catch (IOException closed) {
                // refused outright: as good
            }
        }
        try (Socket s = new Socket("127.0.0.1", open.router.port())) {
            s.getOutputStream().write(bytes(v2(new byte[] {(byte) 198, 51, 100, 66}) + request("open.localhost", "")));
            s.setSoTimeout(30_000);
            s.getInputStream().readNBytes(12); // whatever the answer, the dyno must not be told 198.51.100.66
        } catch (IOException closed) {
            // refused: as good
        }
        assertEquals(200, open.get("open.localhost", "/after").statusCode());
        for (Upstream.Seen seen : openApp.seen()) {
            assertEquals("127.0.0.1", seen.headers().getFirst("X-Forwarded-For"), seen.path());
        }
    }

    // ---- the balancer's side ------------------------------------------------------------------------------

    /** A PROXY v2 header for TCP over IPv4 from {@code source}:40000 to 127.0.0.1:8080 (bytes as chars). */
    static String v2(byte[] source) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put("\r\n\r\n\0\r\nQUIT\n".getBytes(StandardCharsets.ISO_8859_1));
        b.put((byte) 0x21).put((byte) 0x11).putShort((short) 12); // v2 PROXY, TCP over IPv4, 12 address bytes
        b.put(source).put(new byte[] {127, 0, 0, 1}).putShort((short) 40000).putShort((short) 8080);
        return new String(b.array(), StandardCharsets.ISO_8859_1);
    }

    /** A PROXY v2 LOCAL header, as HAProxy's health checks send it. */
    static String v2Local() {
        return "\r\n\r\n\0\r\nQUIT\n" + (char) 0x20 + (char) 0x00 + "\0\0";
    }

    static String v1(String line) {
        return line + "\r\n";
    }

    static String request(String host, String headers) {
        return "GET /pp HTTP/1.1\r\nHost: " + host + "\r\n" + headers + "\r\n";
    }

    static RawHttp.Response viaBalancer(String header, String host, String headers) {
        try (RawHttp c = new RawHttp(behind.router.port())) {
            c.send(header + request(host, headers));
            return c.read();
        } catch (IOException e) {
            return new RawHttp.Response(-1, java.util.Map.of(), e.toString());
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Upstream.Seen last(Upstream u) {
        List<Upstream.Seen> seen = u.seen();
        return seen.get(seen.size() - 1);
    }

    /** The v2 signature followed by a version the spec does not define. */
    static String withVersion3(String v2) {
        return v2.substring(0, 12) + (char) 0x31 + v2.substring(13);
    }
}
