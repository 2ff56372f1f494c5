package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.Patterns;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.Upstream;
import io.slipway.router.support.WsEchoServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through the router (the test JVM runs with -Xmx256m; Netty buffers are off-heap and bounded by
 * the write-buffer water marks, so 50 MB each way only fits because nothing aggregates), and WebSockets switch
 * to a raw relay after the 101.
 */
class StreamingTest {
    static final long SIZE = 50L * 1024 * 1024;
    static RouterFixture f;
    static WsEchoServer ws;

    @BeforeAll
    static void start() throws Exception {
        f = new RouterFixture();
        Upstream big = f.upstream("big");
        ws = new WsEchoServer();
        UUID wsApp = UUID.randomUUID();
        // the JDK WebSocket client cannot set Host: route the router's own address to the echo app
        f.api.putApp(ApiStub.app(wsApp, "sockets", List.of("127.0.0.1"), "up", false, ws.port()));
        f.api.emit("routes.changed", wsApp);
        UUID id = UUID.randomUUID();
        f.api.putApp(ApiStub.app(id, "big", List.of("big.localhost"), "up", false, big.port()));
        f.api.emit("routes.changed", id); // events apply in order: once big routes, so do the sockets
        Await.until("apps routed", () -> status("big.localhost") == 200);
    }

    static int status(String host) {
        try {
            return f.get(host, "/").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
        ws.close();
    }

    @Test
    void uploadOf50MbStreamsToTheDyno() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(f.uri("/count")).header("Host", "big.localhost")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> Patterns.stream(SIZE))).build();
        HttpResponse<String> r = f.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals(SIZE + " " + Patterns.sha256(SIZE), r.body());
    }

    @Test
    void uploadWithContentLengthStreamsToo() throws Exception {
        long size = 8L * 1024 * 1024;
        HttpRequest request = HttpRequest.newBuilder(f.uri("/count")).header("Host", "big.localhost")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> Patterns.stream(size)), size)).build();
        HttpResponse<String> r = f.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(size + " " + Patterns.sha256(size), r.body());
    }

    @Test
    void downloadOf50MbStreamsToTheClient() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(f.uri("/download?bytes=" + SIZE)).header("Host", "big.localhost")
                .timeout(Duration.ofMinutes(2)).GET().build();
        HttpResponse<InputStream> r = f.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = r.body()) {
            int k;
            while ((k = in.read(buf)) > 0) {
                sha.update(buf, 0, k);
                n += k;
            }
        }
        assertEquals(SIZE, n);
        assertEquals(Patterns.sha256(SIZE), HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void webSocketEchoThroughTheRouter() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        WebSocket socket = f.http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + f.router.port() + "/ws"), new WebSocket.Listener() {
                    final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(20, TimeUnit.SECONDS);
        socket.sendText("hello", true).get(20, TimeUnit.SECONDS);
        assertEquals("echo: hello", received.poll(20, TimeUnit.SECONDS));
        String big = "x".repeat(50_000);
        socket.sendText(big, true).get(20, TimeUnit.SECONDS);
        String echoed = received.poll(20, TimeUnit.SECONDS);
        assertEquals(true, ("echo: " + big).equals(echoed), "50 000 character echo came back whole");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(20, TimeUnit.SECONDS);
    }
}
