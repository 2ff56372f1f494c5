package io.slipway.shared.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retries against a real HTTP server that is away for a while, answers 5xx, or refuses for good. */
class RetryTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpServer server(int port, int status, AtomicInteger hits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", x -> {
            hits.incrementAndGet();
            byte[] body = "slug".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        return server;
    }

    private String fetch(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw Retry.forStatus("the store", r.statusCode());
        return r.body();
    }

    @Test
    void aServerThatComesBackIsReachedWithoutTheCallerFailing() throws Exception {
        int port = LocalPorts.freePort();
        URI uri = URI.create("http://127.0.0.1:" + port + "/slug");
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger hits = new AtomicInteger();
        CountDownLatch failedTwice = new CountDownLatch(2);
        HttpServer[] server = new HttpServer[1];
        Thread comesBack = new Thread(() -> {
            try {
                failedTwice.await(); // the store is away for at least two attempts, then comes back
                server[0] = server(port, 200, hits);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        comesBack.start();
        try {
            String body = Retry.withBackoff("download", Duration.ofSeconds(60), new Backoff(Duration.ofMillis(100),
                    Duration.ofMillis(400)), () -> {
                        attempts.incrementAndGet();
                        try {
                            return fetch(uri);
                        } catch (IOException e) {
                            failedTwice.countDown();
                            throw e;
                        }
                    });
            assertEquals("slug", body);
            assertTrue(attempts.get() >= 3, "failed while away, then succeeded: " + attempts.get());
            assertEquals(1, hits.get());
        } finally {
            comesBack.join();
            if (server[0] != null) server[0].stop(0);
        }
    }

    @Test
    void a5xxIsRetriedAndA4xxEndsAtOnce() throws Exception {
        AtomicInteger unavailableHits = new AtomicInteger();
        AtomicInteger forbiddenHits = new AtomicInteger();
        HttpServer unavailable = server(0, 503, unavailableHits);
        HttpServer forbidden = server(0, 403, forbiddenHits);
        try {
            Backoff fast = new Backoff(Duration.ofMillis(10), Duration.ofMillis(20));
            URI u503 = URI.create("http://127.0.0.1:" + unavailable.getAddress().getPort() + "/");
            IOException last = assertThrows(IOException.class,
                    () -> Retry.withBackoff("download", Duration.ofMillis(300), fast, () -> fetch(u503)));
            assertTrue(last.getMessage().contains("503"), last.getMessage());
            assertTrue(unavailableHits.get() > 1, "a 503 was tried again");
            URI u403 = URI.create("http://127.0.0.1:" + forbidden.getAddress().getPort() + "/");
            assertThrows(Retry.Permanent.class,
                    () -> Retry.withBackoff("download", Duration.ofSeconds(30), fast, () -> fetch(u403)));
            assertEquals(1, forbiddenHits.get(), "a 403 is not retried");
        } finally {
            unavailable.stop(0);
            forbidden.stop(0);
        }
    }

    @Test
    void aLastFailureWithoutAMessageIsNamedWithItsStepAndKind() {
        Backoff fast = new Backoff(Duration.ofMillis(10), Duration.ofMillis(20));
        IOException last = assertThrows(IOException.class, () -> Retry.withBackoff("image layer download",
                Duration.ofMillis(100), fast, () -> {
                    throw new java.net.ConnectException();
                }));
        assertEquals("image layer download failed: java.net.ConnectException", last.getMessage());
        assertTrue(last.getCause() instanceof java.net.ConnectException);
    }

    @Test
    void delaysAreJitteredAndBounded() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        assertEquals(0, b.delayMillis(0));
        for (int failures = 1; failures < 40; failures++) {
            long base = Math.min(30_000, 500L << Math.min(failures - 1, 30));
            long d = b.delayMillis(failures);
            assertTrue(d >= base / 2 && d <= base, failures + " failures: " + d);
        }
        long distinct = java.util.stream.IntStream.range(0, 50).mapToLong(i -> b.delayMillis(10)).distinct().count();
        assertTrue(distinct > 1, "jittered, not the same wait for everyone");
    }
}
