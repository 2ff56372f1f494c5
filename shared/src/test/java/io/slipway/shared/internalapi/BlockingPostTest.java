package io.slipway.shared.internalapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log shipper's blocking post ({@link InternalTransport#postBlocking}): the same trust as the transport's
 * client (the cluster CA and the host's name), the token, the body given and nothing more, one kept-alive
 * connection, error statuses as statuses, and a timeout that holds against a listener that never answers.
 */
class BlockingPostTest {
    private static final TestPki.Issued CA = TestPki.ca("Slipway test cluster CA");
    @TempDir Path tmp;
    private HttpsServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void postsTheBodyWithTheTokenOverTheClusterCaOnOneConnection() throws Exception {
        InternalTransport api = transportTo(serve(TestPki.leaf(CA, "localhost"), 204));
        byte[] body = "xx{\"lines\":[]}yy".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            assertEquals(204, api.postBlocking("/internal/logs", "application/json", body, body.length,
                    Duration.ofSeconds(5)));
        }
        assertEquals(3, seen.size());
        assertTrue(seen.stream().allMatch(("POST /internal/logs Bearer cluster-token application/json "
                + "xx{\"lines\":[]}yy")::equals), seen.toString());
        assertEquals(1, clientPorts.stream().distinct().count(), "one kept-alive connection: " + clientPorts);
    }

    @Test
    void onlyTheLengthGivenIsSent() throws Exception {
        InternalTransport api = transportTo(serve(TestPki.leaf(CA, "localhost"), 204));
        byte[] body = "{}and the rest of a reused array".getBytes(StandardCharsets.UTF_8);
        api.postBlocking("/internal/logs", "application/json", body, 2, Duration.ofSeconds(5));
        assertEquals(List.of("POST /internal/logs Bearer cluster-token application/json {}"), seen);
    }

    @Test
    void aServerCertifiedForAnotherNameIsRefusedBeforeAnythingIsSent() throws Exception {
        InternalTransport api = transportTo(serve(TestPki.leaf(CA, "api.other-cluster.example"), 204));
        assertThrows(SSLHandshakeException.class, () -> api.postBlocking("/internal/logs", "application/json",
                new byte[] {'{', '}'}, 2, Duration.ofSeconds(5)));
        assertEquals(List.of(), seen);
    }

    @Test
    void aServerOutsideTheClusterCaIsRefusedBeforeAnythingIsSent() throws Exception {
        InternalTransport api = transportTo(serve(TestPki.selfSigned("localhost"), 204));
        assertThrows(SSLHandshakeException.class, () -> api.postBlocking("/internal/logs", "application/json",
                new byte[] {'{', '}'}, 2, Duration.ofSeconds(5)));
        assertEquals(List.of(), seen);
    }

    @Test
    void anErrorAnswerIsItsStatus() throws Exception {
        InternalTransport api = transportTo(serve(TestPki.leaf(CA, "localhost"), 401));
        assertEquals(401, api.postBlocking("/internal/logs", "application/json", new byte[] {'{', '}'}, 2,
                Duration.ofSeconds(5)));
        assertEquals(401, api.postBlocking("/internal/logs", "application/json", new byte[] {'{', '}'}, 2,
                Duration.ofSeconds(5)));
        assertEquals(2, seen.size());
    }

    @Test
    void aListenerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            InternalTransport api = new InternalTransport(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                    "cluster-token", TrustedHttpClients.create(null));
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> api.postBlocking("/internal/logs", "application/json",
                    new byte[] {'{', '}'}, 2, Duration.ofMillis(300)));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos(), "the timeout held");
        }
    }

    private InternalTransport transportTo(int port) throws IOException {
        Path caFile = Files.writeString(tmp.resolve("ca.pem"), CA.certPem());
        return new InternalTransport(URI.create("https://localhost:" + port), "cluster-token",
                TrustedHttpClients.create(caFile));
    }

    /** An HTTPS listener on 127.0.0.1 with {@code cert}, answering {@code status} and recording each request. */
    private int serve(TestPki.Issued cert, int status) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", cert.keys().getPrivate(), "pw".toCharArray(), new Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " "
                    + ex.getRequestHeaders().getFirst("Authorization") + " "
                    + ex.getRequestHeaders().getFirst("Content-Type") + " " + body);
            clientPorts.add(ex.getRemoteAddress().getPort());
            byte[] answer = status == 204 ? new byte[0] : "{\"id\":\"unauthorized\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, status == 204 ? -1 : answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        return server.getAddress().getPort();
    }
}
