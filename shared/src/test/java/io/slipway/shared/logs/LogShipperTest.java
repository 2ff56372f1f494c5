package io.slipway.shared.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogShipperTest {
    private HttpServer server;
    private final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/internal/logs", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                for (Object line : Json.array(Json.parseObject(body).get("lines"))) received.add(Json.object(line));
                exchange.sendResponseHeaders(204, -1);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void shipsLinesInOrderWithTheInternalToken() {
        UUID app = UUID.randomUUID();
        try (LogShipper shipper = new LogShipper(base(), "secret-token", HttpClient.newHttpClient())) {
            for (int i = 0; i < 50; i++) shipper.ship(app, "app", "web.1", "line " + i);
        }
        assertEquals(50, received.size());
        for (int i = 0; i < 50; i++) {
            assertEquals("line " + i, received.get(i).get("message"));
            assertEquals(app.toString(), received.get(i).get("app_id"));
            assertEquals("web.1", received.get(i).get("dyno"));
        }
        assertTrue(authorizations.stream().allMatch("Bearer secret-token"::equals));
    }

    @Test
    void escapesMessagesAndWritesMicrosecondTimestamps() {
        UUID app = UUID.randomUUID();
        String tricky = "quote \" backslash \\ tab \t nl \n cr \r bell \u0007 unicode é ☃ 🚀 </script>";
        try (LogShipper shipper = new LogShipper(base(), "t", HttpClient.newHttpClient())) {
            shipper.ship(app, "app", "web.1", tricky, java.time.Instant.parse("2026-11-22T05:06:27.123456789Z"));
            shipper.ship(app, "app", "web.1", "whole second", java.time.Instant.parse("2026-11-22T05:06:28Z"));
            shipper.ship(app.toString(), "heroku", "router", "fast path", 1_795_323_987_000_042L);
            shipper.ship(app, "app", "web.1", null);
        }
        assertEquals(4, received.size());
        assertEquals(tricky, received.get(0).get("message"));
        assertEquals("2026-11-22T05:06:27.123456Z", received.get(0).get("time"));
        assertEquals("2026-11-22T05:06:28.000000Z", received.get(1).get("time"));
        assertEquals(java.time.Instant.ofEpochSecond(1_795_323_987L, 42_000L).toString(),
                received.get(2).get("time"));
        assertEquals("router", received.get(2).get("dyno"));
        assertEquals("heroku", received.get(2).get("source"));
        assertEquals("", received.get(3).get("message"));
        assertTrue(java.time.Instant.parse((String) received.get(3).get("time")).isAfter(java.time.Instant.now().minusSeconds(60)));
    }

    @Test
    void messagesWrittenOnTheSenderThreadArriveAsTheirTextInOrderWithTheOthers() {
        UUID app = UUID.fromString("0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9");
        String tricky = "quote \" backslash \\ tab \t nl \n bell \u0007 del \u007f latin é ÿ snow ☃ rocket 🚀 lone \ud800 end";
        LogMessage pieces = text -> text.append("at=info n=").append(-42L).append(' ').append(1234567890123L)
                .append(" s=").append("xx" + tricky + "yy", 2, tricky.length() + 2).append(" null=").append((String) null);
        try (LogShipper shipper = new LogShipper(base(), "t", HttpClient.newHttpClient())) {
            shipper.ship(app, "app", "web.1", "plain before");
            shipper.ship(app, "heroku", "router", pieces, 1_795_323_987_000_042L);
            shipper.ship(app, "heroku", "router", text -> { throw new IllegalStateException("a bug"); }, 0L);
            shipper.ship(app.toString(), "app", "web.1", "plain after", 1_795_323_987_000_043L);
        }
        assertEquals(3, received.size());
        assertEquals("plain before", received.get(0).get("message"));
        // a lone surrogate becomes '?', as String.getBytes(UTF_8) made it before
        assertEquals("at=info n=-42 1234567890123 s=" + tricky.replace('\ud800', '?') + " null=null",
                received.get(1).get("message"));
        assertEquals(pieces.text().replace('\ud800', '?'), received.get(1).get("message"));
        assertEquals(app.toString(), received.get(1).get("app_id"));
        assertEquals("heroku", received.get(1).get("source"));
        assertEquals("router", received.get(1).get("dyno"));
        assertEquals(java.time.Instant.ofEpochSecond(1_795_323_987L, 42_000L).toString(), received.get(1).get("time"));
        assertEquals("plain after", received.get(2).get("message"));
    }

    @Test
    void bigBatchesArriveWholeAndInOrder() {
        // 1,000 lines of 600 bytes a post: the body goes to the client as one buffer far larger than a socket write
        UUID app = UUID.randomUUID();
        String pad = "x".repeat(560);
        try (LogShipper shipper = new LogShipper(base(), "t", HttpClient.newHttpClient())) {
            for (int i = 0; i < 3_000; i++) shipper.ship(app, "heroku", "router", text -> text.append(pad), 1_000_000L * i);
            for (int i = 0; i < 3_000; i++) shipper.ship(app, "app", "web.1", "line " + i);
        }
        assertEquals(6_000, received.size());
        for (int i = 0; i < 3_000; i++) assertEquals(pad, received.get(i).get("message"));
        for (int i = 0; i < 3_000; i++) assertEquals("line " + i, received.get(3_000 + i).get("message"));
    }

    @Test
    void keepsLinesWhileTheApiServerFailsAndSendsThemLater() throws Exception {
        failuresLeft.set(2);
        UUID app = UUID.randomUUID();
        try (LogShipper shipper = new LogShipper(base(), "t", HttpClient.newHttpClient())) {
            shipper.ship(app, "heroku", "router", "first");
            shipper.ship(app, "heroku", "router", "second");
            for (int i = 0; i < 100 && received.size() < 2; i++) Thread.sleep(100);
        }
        assertEquals(List.of("first", "second"), received.stream().map(l -> l.get("message")).toList());
    }

    @Test
    void dropsTheOldestLinesWhenTheQueueIsFull() throws Exception {
        server.stop(0); // nobody listens: everything stays queued
        UUID app = UUID.randomUUID();
        LogShipper shipper = new LogShipper(base(), "t", HttpClient.newHttpClient(), 10);
        for (int i = 0; i < 25; i++) shipper.ship(app, "app", "web.1", "line " + i);
        // a batch the sender had taken comes back when its post fails; then every line is queued or dropped
        for (int i = 0; i < 100 && shipper.dropped() < 15; i++) Thread.sleep(100);
        assertEquals(15, shipper.dropped(), "dropped");
        assertTrue(shipper.pending() <= 10, "pending " + shipper.pending()); // 0 while a retry is in flight
        shipper.close();
        server = HttpServerHolder.dummy();
    }

    /** Gives {@link #stop} something to stop after a test stopped the real server early. */
    private static final class HttpServerHolder {
        static HttpServer dummy() {
            try {
                return HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
