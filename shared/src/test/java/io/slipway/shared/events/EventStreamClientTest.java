package io.slipway.shared.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted SSE server (the JDK's own HTTP server): resume, retries and idle detection. */
class EventStreamClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private HttpServer server;

    record Request(String after, String lastEventId, String authorization) {}

    interface Script {
        void respond(int connection, HttpExchange exchange) throws Exception;
    }

    @AfterEach
    void stop() {
        finished.countDown();
        if (server != null) server.stop(0);
    }

    private EventStreamClient start(Script script) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }));
        AtomicInteger connection = new AtomicInteger();
        server.createContext("/internal/events", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            requests.add(new Request(query.replace("after=", ""), exchange.getRequestHeaders().getFirst("Last-Event-ID"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            try {
                script.respond(connection.incrementAndGet(), exchange);
            } catch (Exception e) {
                // the client went away
            } finally {
                exchange.close();
            }
        });
        server.start();
        return EventStreamClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), "tok")
                .initialBackoff(Duration.ofMillis(50))
                .maxBackoff(Duration.ofMillis(200))
                .build();
    }

    private static OutputStream openStream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return exchange.getResponseBody();
    }

    private static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String event(long seq) {
        return "id:" + seq + "\nevent:app.created\ndata:{\"seq\":" + seq + ",\"type\":\"app.created\",\"app_id\":null,"
                + "\"app_name\":\"a" + seq + "\",\"payload\":{\"n\":" + seq + "},\"created_at\":\"2026-01-01T00:00:00Z\"}\n\n";
    }

    private void hold() throws InterruptedException {
        finished.await(30, TimeUnit.SECONDS);
    }

    private static Event take(BlockingQueue<Event> q) throws InterruptedException {
        Event e = q.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(e, "no event within " + WAIT);
        return e;
    }

    @Test
    void resumesAfterTheLastEventWhenTheServerDropsTheConnection() throws Exception {
        EventStreamClient client = start((n, exchange) -> {
            OutputStream out = openStream(exchange);
            if (n == 1) {
                send(out, ": keepalive\n\n" + event(6) + event(7));
                return; // connection closes: a server restart, say
            }
            send(out, event(8));
            hold();
        });
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (EventSubscription sub = client.follow(5, received::add)) {
            assertEquals(6, take(received).seq());
            assertEquals(7, take(received).seq());
            Event third = take(received);
            assertEquals(8, third.seq());
            assertEquals("a8", third.appName());
            assertEquals(8L, third.payloadLong("n"));
            assertTrue(sub.connectionCount() >= 2);
        }
        assertEquals(new Request("5", "5", "Bearer tok"), requests.get(0));
        assertEquals(new Request("7", "7", "Bearer tok"), requests.get(1));
    }

    @Test
    void redeliversAnEventWhoseHandlerFailed() throws Exception {
        EventStreamClient client = start((n, exchange) -> {
            OutputStream out = openStream(exchange);
            long after = Long.parseLong(exchange.getRequestHeaders().getFirst("Last-Event-ID"));
            for (long s = after + 1; s <= 3; s++) send(out, event(s));
            hold();
        });
        BlockingQueue<Long> handled = new LinkedBlockingQueue<>();
        AtomicInteger attempts = new AtomicInteger();
        EventSubscription sub = client.follow(0, e -> {
            if (e.seq() == 2 && attempts.incrementAndGet() == 1) throw new IllegalStateException("not yet");
            handled.add(e.seq());
        });
        try {
            for (long expected = 1; expected <= 3; expected++) {
                assertEquals(expected, handled.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
        } finally {
            sub.close();
        }
        assertEquals(3, sub.lastSeq(), "the last accepted event, once the handler has returned");
        assertEquals(2, attempts.get());
        assertEquals("1", requests.get(1).lastEventId());
    }

    @Test
    void retriesWhileTheServerRefusesAndReplacesASilentConnection() throws Exception {
        start((n, exchange) -> {
            if (n == 1) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            OutputStream out = openStream(exchange);
            if (n == 2) {
                hold(); // never says anything: the client must give up on it
                return;
            }
            send(out, event(1));
            hold();
        });
        EventStreamClient client = EventStreamClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "tok")
                .initialBackoff(Duration.ofMillis(50)).maxBackoff(Duration.ofMillis(100))
                .idleTimeout(Duration.ofMillis(500)).build();
        BlockingQueue<Event> received = new LinkedBlockingQueue<>();
        try (EventSubscription sub = client.follow(0, received::add)) {
            assertEquals(1, take(received).seq());
            assertTrue(sub.isConnected());
        }
        assertTrue(requests.size() >= 3, "requests: " + requests);
    }
}
