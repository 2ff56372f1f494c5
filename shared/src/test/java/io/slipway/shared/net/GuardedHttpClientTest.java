package io.slipway.shared.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real HTTP against a server on 127.0.0.2, the one address the operator allows here: legitimate downloads work,
 * and a redirect from it to 127.0.0.1 (not allowed) is refused, as are oversized and endless answers.
 */
class GuardedHttpClientTest {
    private static final byte[] BODY = "hello tarball".getBytes();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger loopbackHits = new AtomicInteger();
    private HttpServer allowed;
    private HttpServer internal;
    private GuardedHttpClient http;
    @TempDir Path dir;

    @BeforeEach
    void start() throws IOException {
        internal = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        internal.createContext("/", ex -> {
            loopbackHits.incrementAndGet();
            ex.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = ex.getResponseBody()) { out.write(BODY); }
        });
        internal.start();
        allowed = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        allowed.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        allowed.createContext("/ok.tgz", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            try (OutputStream out = ex.getResponseBody()) { out.write(BODY); }
        });
        allowed.createContext("/hop", ex -> {
            ex.getResponseHeaders().add("Location", "/ok.tgz");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        allowed.createContext("/to-internal", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + internal.getAddress().getPort() + "/secret");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        allowed.createContext("/big", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 64; i++) out.write(new byte[1024]);
            } catch (IOException clientGaveUp) {
                // expected
            }
        });
        allowed.createContext("/slow", ex -> {
            ex.sendResponseHeaders(200, 0);
            try {
                ex.getResponseBody().write(1);
                ex.getResponseBody().flush();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        allowed.start();
        http = new GuardedHttpClient(OutboundPolicy.allowing("127.0.0.2/32"), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() throws IOException {
        release.countDown();
        http.close();
        allowed.stop(0);
        internal.stop(0);
    }

    private String allowedUrl(String path) {
        return "http://127.0.0.2:" + allowed.getAddress().getPort() + path;
    }

    @Test
    void downloadsFromAnAllowedServerAndFollowsItsRedirects() throws IOException {
        Path file = dir.resolve("a");
        http.download(allowedUrl("/hop"), file, 1024, Duration.ofMinutes(1));
        assertArrayEquals(BODY, Files.readAllBytes(file));
    }

    @Test
    void aRedirectToLoopbackIsRefusedBeforeAnyConnection() {
        var e = assertThrows(OutboundRefusedException.class,
                () -> http.download(allowedUrl("/to-internal"), dir.resolve("b"), 1024, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertEquals(0, loopbackHits.get());
    }

    @Test
    void internalAddressesAreRefusedDirectly() {
        int port = internal.getAddress().getPort();
        for (String url : new String[] {"http://127.0.0.1:" + port + "/", "http://localhost:" + port + "/",
                "http://[::1]:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/", "http://2130706433:" + port + "/",
                "http://0177.0.0.1:" + port + "/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/"}) {
            assertThrows(OutboundRefusedException.class,
                    () -> http.download(url, dir.resolve("c"), 1024, Duration.ofMinutes(1)), url);
        }
        assertEquals(0, loopbackHits.get());
    }

    @Test
    void aDownloadPastTheSizeCapStops() {
        var e = assertThrows(GuardedHttpClient.DownloadFailedException.class,
                () -> http.download(allowedUrl("/big"), dir.resolve("d"), 10_000, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("d")));
    }

    @Test
    void aDownloadPastTheTimeCapStops() {
        var e = assertThrows(GuardedHttpClient.DownloadFailedException.class,
                () -> http.download(allowedUrl("/slow"), dir.resolve("e"), 10_000, Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("took longer"), e.getMessage());
    }

    @Test
    void postsGoOnlyToAllowedAddresses() throws IOException {
        assertThrows(OutboundRefusedException.class, () -> http.post("http://127.0.0.1:" + internal.getAddress().getPort() + "/",
                Map.of(), new byte[0], "text/plain", Duration.ofSeconds(10)));
        assertEquals(0, loopbackHits.get());
    }
}
