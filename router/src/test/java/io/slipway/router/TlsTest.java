package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.Patterns;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.TestCerts;
import io.slipway.router.support.Upstream;
import io.slipway.router.support.WsEchoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener with real TLS clients (openssl s_client, curl with HTTP/2 and HTTP/1.1, the JDK client and
 * its WebSocket): each custom domain gets its app's own certificate by SNI, the apps domain and unknown names
 * the operator's wildcard; certificate changes arrive from the event stream without a restart; HTTP/2 requests
 * go through the same routing, error pages and log line as HTTP/1.1.
 */
class TlsTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static RouterFixture f;
    static Upstream shop;
    static Upstream blog;
    static Upstream home;
    static WsEchoServer ws;
    static final UUID SHOP = UUID.randomUUID();
    static final UUID BLOG = UUID.randomUUID();
    static final UUID HOME = UUID.randomUUID();
    static final UUID CRASHED = UUID.randomUUID();
    static final UUID SOCKETS = UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        certs = new TestCerts(dir);
        TestCerts.Issued wildcard = certs.issue("wildcard", "*.apps.test", "localhost");
        f = new RouterFixture(new RouterConfig.Tls(0, wildcard.chainFile(), wildcard.keyFile()), true);
        shop = f.upstream("shop");
        blog = f.upstream("blog");
        home = f.upstream("home");
        ws = new WsEchoServer();
        TestCerts.Issued shopCert = certs.issue("shop-1", "www.shop.test");
        TestCerts.Issued blogCert = certs.issue("blog-1", "blog.test");
        f.api.putApp(ApiStub.app(SHOP, "shop", List.of("shop.apps.test", "www.shop.test"), "up", false, shop.port()));
        f.api.putEndpoints(SHOP, List.of(ApiStub.endpoint("shop-ep", List.of("www.shop.test"), shopCert.chainPem(),
                shopCert.keyPem(), "2026-12-05T00:00:00Z")));
        f.api.putApp(ApiStub.app(BLOG, "blog", List.of("blog.apps.test", "blog.test"), "up", false, blog.port()));
        f.api.putEndpoints(BLOG, List.of(ApiStub.endpoint("blog-ep", List.of("blog.test"), blogCert.chainPem(),
                blogCert.keyPem(), "2026-12-05T00:00:00Z")));
        f.api.putApp(ApiStub.app(HOME, "home", List.of("localhost", "home.apps.test"), "up", false, home.port()));
        f.api.putApp(ApiStub.app(CRASHED, "broken", List.of("broken.apps.test"), "crashed", false));
        // the JDK WebSocket client cannot choose its Host: the router's own address routes to the echo app
        f.api.putApp(ApiStub.app(SOCKETS, "sockets", List.of("127.0.0.1"), "up", false, ws.port()));
        for (UUID id : List.of(SHOP, BLOG, HOME, CRASHED, SOCKETS)) f.api.emit("routes.changed", id);
        Await.until("custom domains served with their certificates", () -> "shop-1".equals(cn("www.shop.test"))
                && "blog-1".equals(cn("blog.test")));
        Await.until("apps routed", () -> {
            String out = curl("--http1.1", "home.apps.test", "/");
            return out.startsWith("hello from home");
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) f.close();
        if (ws != null) ws.close();
    }

    @Test
    void eachNameGetsItsCertificateAndOthersTheWildcard() {
        assertEquals("shop-1", cn("www.shop.test"));
        assertEquals("blog-1", cn("blog.test"));
        assertEquals("wildcard", cn("home.apps.test"), "the apps domain is covered by the operator's wildcard");
        assertEquals("wildcard", cn("unknown.example.net"), "an unknown name gets the default certificate");
        assertEquals("wildcard", cn(null), "no SNI at all gets the default certificate");
        assertEquals("shop-1", cn("WWW.Shop.Test"), "server names are matched without regard to case");
    }

    @Test
    void curlOverHttp2AndHttp11ReachEachApp() {
        String h2 = curl("--http2", "www.shop.test", "/");
        assertTrue(h2.startsWith("hello from shop") && h2.endsWith("\n2"), h2);
        String h1 = curl("--http1.1", "blog.test", "/");
        assertTrue(h1.startsWith("hello from blog") && h1.endsWith("\n1.1"), h1);
        String home = curl("--http2", "home.apps.test", "/");
        assertTrue(home.startsWith("hello from home") && home.endsWith("\n2"), home);
    }

    @Test
    void jdkClientSpeaksHttp2AndTheDynoLearnsTheSchemeAndPort() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:" + f.router.tlsPort()
                        + "/forwarded")).header("X-Forwarded-Proto", "http").header("X-Forwarded-Port", "1")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals("hello from home", r.body());
        assertEquals("wildcard", commonName((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]));
        Upstream.Seen seen = home.seen().stream().filter(s -> s.path().equals("/forwarded")).findFirst().orElseThrow();
        assertEquals(List.of("https"), seen.headers().get("X-Forwarded-Proto"), "the client cannot spoof the scheme");
        assertEquals(List.of(String.valueOf(f.router.tlsPort())), seen.headers().get("X-Forwarded-Port"));
        assertEquals(List.of("localhost:" + f.router.tlsPort()), seen.headers().get("Host"), ":authority is the Host");
        assertEquals(null, seen.headers().get("X-http2-stream-id"), "no conversion headers reach the dyno");
        Await.until("an https router line", () -> f.api.routerLogMessages().stream()
                .anyMatch(l -> l.contains("path=\"/forwarded\"") && l.contains("status=200") && l.endsWith("protocol=https")));

        HttpClient h1 = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpResponse<String> r1 = h1.send(HttpRequest.newBuilder(URI.create("https://localhost:" + f.router.tlsPort()
                + "/one")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_1_1, r1.version());
        assertEquals("hello from home", r1.body());
    }

    @Test
    void plainListenerStillSaysHttp() throws Exception {
        HttpResponse<String> r = f.get("home.apps.test", "/plain");
        assertEquals(200, r.statusCode());
        Upstream.Seen seen = home.seen().stream().filter(s -> s.path().equals("/plain")).findFirst().orElseThrow();
        assertEquals(List.of("http"), seen.headers().get("X-Forwarded-Proto"));
        assertEquals(List.of(String.valueOf(f.router.port())), seen.headers().get("X-Forwarded-Port"));
    }

    @Test
    void streamingBodiesOverHttp2() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_2)
                .build();
        long size = 16L * 1024 * 1024; // several times every flow-control window on the way
        HttpResponse<String> up = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:" + f.router.tlsPort()
                        + "/count")).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Patterns.stream(size))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, up.version());
        assertEquals(size + " " + Patterns.sha256(size), up.body());
        HttpResponse<byte[]> down = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:" + f.router.tlsPort()
                + "/download?bytes=" + size)).timeout(Duration.ofMinutes(2)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(size, down.body().length);
        assertEquals(Patterns.sha256(size), java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(down.body())));
    }

    @Test
    void http2RequestsReuseThePooledDynoConnection() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_2)
                .build();
        for (String path : List.of("/reuse-1", "/reuse-2")) {
            HttpResponse<String> r = h2.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + f.router.tlsPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
        }
        int first = home.seen().stream().filter(s -> s.path().equals("/reuse-1")).findFirst().orElseThrow().remotePort();
        int second = home.seen().stream().filter(s -> s.path().equals("/reuse-2")).findFirst().orElseThrow().remotePort();
        assertEquals(first, second, "each stream ends its exchange, so the dyno connection goes back to the pool");
    }

    @Test
    void aStreamTheClientResetsEndsThatExchangeOnlyAndTheConnectionGoesOn() throws Exception {
        HttpClient h2 = HttpClient.newBuilder().sslContext(certs.clientContext()).version(HttpClient.Version.HTTP_2)
                .build();
        URI base = URI.create("https://localhost:" + f.router.tlsPort());
        assertEquals("hello from home", h2.send(HttpRequest.newBuilder(base.resolve("/before-reset")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        CompletableFuture<HttpResponse<String>> slow = h2.sendAsync(HttpRequest.newBuilder(
                base.resolve("/slow?ms=5000")).build(), HttpResponse.BodyHandlers.ofString());
        Await.until("the slow request at the dyno", () -> home.seen().stream().anyMatch(s -> s.path().equals("/slow")));
        slow.cancel(true); // the JDK client resets the stream (RST_STREAM CANCEL), its connection stays open
        Await.until("an H27 line for the reset stream", () -> f.api.routerLogMessages().stream().anyMatch(l ->
                l.contains("code=H27") && l.contains("path=\"/slow?ms=5000\"") && l.endsWith("protocol=https")));
        HttpResponse<String> after = h2.send(HttpRequest.newBuilder(base.resolve("/after-reset")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("hello from home", after.body());
        assertEquals(HttpClient.Version.HTTP_2, after.version());
    }

    @Test
    void http2RequestToACrashedAppGetsH10() {
        String out = curl("--http2", "broken.apps.test", "/");
        assertTrue(out.contains("<title>Application Error</title>") && out.endsWith("\n2"), out);
        try {
            Await.until("H10 line", () -> f.api.routerLogMessages().stream().anyMatch(l ->
                    l.contains("code=H10") && l.contains("host=broken.apps.test") && l.endsWith("protocol=https")));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void certificateUpdateIsServedOnTheNextHandshake() throws Exception {
        UUID id = UUID.randomUUID();
        TestCerts.Issued v1 = certs.issue("news-1", "news.test");
        f.api.putApp(ApiStub.app(id, "news", List.of("news.test"), "up", false, shop.port()));
        f.api.putEndpoints(id, List.of(ApiStub.endpoint("news-ep", List.of("news.test"), v1.chainPem(), v1.keyPem(),
                "2026-12-05T00:00:00Z")));
        f.api.emit("app.created", id);
        Await.until("first certificate", () -> "news-1".equals(cn("news.test")));
        TestCerts.Issued v2 = certs.issue("news-2", "news.test");
        f.api.putEndpoints(id, List.of(ApiStub.endpoint("news-ep", List.of("news.test"), v2.chainPem(), v2.keyPem(),
                "2026-12-05T01:00:00Z")));
        f.api.emit("sni_endpoint.updated", id);
        Await.until("updated certificate, same router", () -> "news-2".equals(cn("news.test")));
        assertTrue(curl("--http2", "news.test", "/").startsWith("hello from shop"));
    }

    @Test
    void deletedEndpointFallsBackToTheWildcard() throws Exception {
        UUID id = UUID.randomUUID();
        TestCerts.Issued c = certs.issue("gone-1", "gone.test");
        f.api.putApp(ApiStub.app(id, "gone", List.of("gone.test"), "up", false, shop.port()));
        f.api.putEndpoints(id, List.of(ApiStub.endpoint("gone-ep", List.of("gone.test"), c.chainPem(), c.keyPem(),
                "2026-12-05T00:00:00Z")));
        f.api.emit("app.created", id);
        Await.until("own certificate", () -> "gone-1".equals(cn("gone.test")));
        f.api.putEndpoints(id, List.of());
        f.api.emit("sni_endpoint.deleted", id);
        Await.until("wildcard again", () -> "wildcard".equals(cn("gone.test")));
    }

    @Test
    void tls11IsRefusedAndTls12And13Accepted() {
        // SECLEVEL=0 lets this openssl offer TLS 1.1 at all: the refusal must come from the router
        String old = run("openssl", "s_client", "-connect", "127.0.0.1:" + f.router.tlsPort(), "-servername",
                "home.apps.test", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertTrue(old.contains("alert protocol version") && old.contains("no peer certificate available"), old);
        for (String version : List.of("-tls1_2", "-tls1_3")) {
            String ok = run("openssl", "s_client", "-connect", "127.0.0.1:" + f.router.tlsPort(), "-servername",
                    "home.apps.test", version, "-CAfile", certs.caFile().toString());
            assertTrue(ok.contains("Verify return code: 0 (ok)"), ok);
        }
    }

    @Test
    void aReturningClientResumesItsSession() {
        Path session = dir.resolve("session-" + UUID.randomUUID() + ".pem");
        String port = "127.0.0.1:" + f.router.tlsPort();
        String first = run("openssl", "s_client", "-connect", port, "-servername", "www.shop.test", "-tls1_2",
                "-CAfile", certs.caFile().toString(), "-sess_out", session.toString());
        assertTrue(first.contains("New, TLSv1.2"), first);
        String again = run("openssl", "s_client", "-connect", port, "-servername", "www.shop.test", "-tls1_2",
                "-CAfile", certs.caFile().toString(), "-sess_in", session.toString());
        assertTrue(again.contains("Reused, TLSv1.2"), again);
    }

    @Test
    void webSocketOverHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certs.clientContext()).build();
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + f.router.tlsPort() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(20, TimeUnit.SECONDS);
        socket.sendText("over tls", true).get(20, TimeUnit.SECONDS);
        assertEquals("echo: over tls", received.poll(20, TimeUnit.SECONDS));
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(20, TimeUnit.SECONDS);
    }

    // ---- real clients --------------------------------------------------------------------------------------

    /** The subject CN of the certificate served for {@code serverName} (null: no SNI), verified against the CA. */
    static String cn(String serverName) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect",
                "127.0.0.1:" + f.router.tlsPort(), "-CAfile", certs.caFile().toString()));
        if (serverName == null) cmd.add("-noservername");
        else cmd.addAll(List.of("-servername", serverName));
        String out = run(cmd.toArray(String[]::new));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^subject=CN ?= ?(\\S+)").matcher(out);
        if (!m.find() || !out.contains("Verify return code: 0 (ok)")) {
            System.err.println("s_client " + serverName + ": " + out);
            return "?";
        }
        return m.group(1);
    }

    /** curl to {@code host} resolved to the router, verifying against the CA: body, newline, HTTP version. */
    static String curl(String version, String host, String path) {
        int port = f.router.tlsPort();
        return run("curl", "-sS", version, "--max-time", "30", "--cacert", certs.caFile().toString(), "--resolve",
                host + ":" + port + ":127.0.0.1", "-w", "\n%{http_version}", "https://" + host + ":" + port + path);
    }

    static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(
                    new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            return new String(out, java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String commonName(X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName();
        return dn.startsWith("CN=") ? dn.substring(3).split(",")[0] : dn;
    }
}
