package io.slipway.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.slipway.api.logs.drains.LogDrainForwarder;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.net.LocalPorts;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Lines reach log drains over real sockets: a syslog TCP receiver and an HTTP receiver. The receivers listen on
 * 127.0.0.2, the one loopback address the tests' operator allow-list opens ({@code slipway.outbound.allow}).
 */
class LogDrainDeliveryTest extends ApiTest {
    @Autowired LogDrainForwarder forwarder;
    private static final int WAIT_SECONDS = 30;
    static final InetAddress COLLECTOR = collector();

    private static InetAddress collector() {
        try {
            return InetAddress.getByName(ALLOWED_COLLECTOR_HOST);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    record App(String name, UUID id) {}

    record Post(Map<String, List<String>> headers, String query, String body) {
        String header(String name) {
            for (var e : headers.entrySet()) if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
            return null;
        }
    }

    App newApp(User owner) {
        String name = uniqueAppName("drained");
        var app = call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201).json();
        return new App(name, UUID.fromString(app.path("id").asText()));
    }

    String addDrain(User user, App app, String url) {
        return call("POST", "/apps/" + app.name() + "/log-drains").as(user).json("{\"url\":\"" + url + "\"}").send()
                .expect(201).json().path("token").asText();
    }

    void post(UUID app, String dyno, String message, String time) {
        asComponent(ComponentRole.ROUTER, "POST", "/internal/logs")
                .json("{\"lines\":[{\"app_id\":\"" + app + "\",\"source\":\"app\",\"dyno\":\"" + dyno
                        + "\",\"message\":\"" + message + "\",\"time\":\"" + time + "\"}]}")
                .send().expect(204);
    }

    /** Reads one octet-counted frame: {@code <len> <msg>}. */
    static String readFrame(InputStream in) throws IOException {
        StringBuilder len = new StringBuilder();
        int c;
        while ((c = in.read()) != ' ') {
            if (c < 0) throw new IOException("connection closed");
            len.append((char) c);
        }
        byte[] msg = new byte[Integer.parseInt(len.toString())];
        new DataInputStream(in).readFully(msg);
        return new String(msg, StandardCharsets.UTF_8);
    }

    static List<String> frames(String body) throws IOException {
        List<String> out = new ArrayList<>();
        InputStream in = new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        while (in.available() > 0) out.add(readFrame(in));
        return out;
    }

    @Test
    void sendsOctetCountedSyslogOverTcp() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        try (ServerSocket server = new ServerSocket(0, 10, COLLECTOR)) {
            server.setSoTimeout(WAIT_SECONDS * 1000);
            addDrain(alice, app, "syslog://" + ALLOWED_COLLECTOR_HOST + ":" + server.getLocalPort());
            post(app.id(), "web.1", "hello drain", "2026-11-22T05:06:27.123456Z");
            post(app.id(), "web.2", "h\u00e9llo again", "2026-11-22T05:06:28.5Z");
            call("PATCH", "/apps/" + app.name() + "/config-vars").as(alice).json("{\"FOO\":\"1\"}").send().expect(200);
            try (Socket s = server.accept()) {
                s.setSoTimeout(WAIT_SECONDS * 1000);
                InputStream in = s.getInputStream();
                assertThat(readFrame(in)).isEqualTo("<190>1 2026-11-22T05:06:27.123456+00:00 host app web.1 - - hello drain");
                assertThat(readFrame(in)).isEqualTo("<190>1 2026-11-22T05:06:28.500000+00:00 host app web.2 - - h\u00e9llo again");
                assertThat(readFrame(in)).matches("<190>1 \\S+\\+00:00 host app api - - Set FOO config vars by user " + alice.email());
                assertThat(readFrame(in)).matches("<190>1 \\S+ host app api - - Release v2 created by user .*");
            }
        }
    }

    @Test
    void postsLogplexFramesOverHttp() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(COLLECTOR, 0), 10);
        server.createContext("/logs", exchange -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            exchange.getRequestBody().transferTo(body);
            posts.add(new Post(Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestURI().getRawQuery(),
                    body.toString(StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String token = addDrain(alice, app, "http://user:s3cret@" + ALLOWED_COLLECTOR_HOST + ":" + server.getAddress().getPort() + "/logs?x=1");
            post(app.id(), "web.1", "one", "2026-11-22T05:06:27.123456Z");
            post(app.id(), "worker.1", "two", "2026-11-22T05:06:27.223456Z");
            List<String> frames = new ArrayList<>();
            while (frames.size() < 2) {
                Post p = posts.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(p).as("a POST to the HTTP drain").isNotNull();
                assertThat(p.header("Content-Type")).isEqualTo("application/logplex-1");
                assertThat(p.query()).isEqualTo("x=1");
                assertThat(p.header("Logplex-Drain-Token")).isEqualTo(token);
                assertThat(p.header("Logplex-Frame-Id")).isNotBlank();
                assertThat(p.header("Authorization"))
                        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("user:s3cret".getBytes(StandardCharsets.UTF_8)));
                List<String> got = frames(p.body());
                assertThat(p.header("Logplex-Msg-Count")).isEqualTo(Integer.toString(got.size()));
                frames.addAll(got);
            }
            assertThat(frames).containsExactly(
                    "<190>1 2026-11-22T05:06:27.123456+00:00 host app web.1 - - one",
                    "<190>1 2026-11-22T05:06:27.223456+00:00 host app worker.1 - - two");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void keepsLinesUntilTheReceiverIsReachable() throws Exception {
        User alice = newUser();
        App app = newApp(alice);
        int port = LocalPorts.freePort(); // the receiver listens there later
        UUID drain = UUID.fromString(call("POST", "/apps/" + app.name() + "/log-drains").as(alice)
                .json("{\"url\":\"syslog://" + ALLOWED_COLLECTOR_HOST + ":" + port + "\"}").send()
                .expect(201).json().path("id").asText());
        post(app.id(), "web.1", "sent while the receiver was down", "2026-11-22T05:06:27.123456Z");
        TestDeploys.await("the first delivery failed", () -> forwarder.failedDeliveries(drain) > 0);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(COLLECTOR, port));
            server.setSoTimeout(WAIT_SECONDS * 1000);
            try (Socket s = server.accept()) {
                s.setSoTimeout(WAIT_SECONDS * 1000);
                assertThat(readFrame(s.getInputStream())).endsWith(" host app web.1 - - sent while the receiver was down");
            }
        }
    }
}
