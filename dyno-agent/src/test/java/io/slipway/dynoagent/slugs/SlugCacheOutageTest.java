package io.slipway.dynoagent.slugs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.slipway.dynoagent.support.Slugs;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.retry.Retry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store away while a dyno starts: the slug download is retried until the store is back (the dyno starts
 * late, it does not crash), while a refusal (403: a bad or expired URL) and a wrong checksum fail at once.
 */
class SlugCacheOutageTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpServer store(int port, int status, byte[] body, AtomicInteger hits) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", x -> {
            hits.incrementAndGet();
            x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        return server;
    }

    @Test
    void aStoreThatIsAwayWhenTheDynoStartsIsWaitedFor() throws Exception {
        Path slug = Slugs.build(dir, Map.of("server.sh", "echo hi\n"));
        byte[] bytes = Files.readAllBytes(slug);
        int port = LocalPorts.freePort(); // the store is down: connections are refused
        SlugCache cache = new SlugCache(dir.resolve("slugs"), http, Duration.ofSeconds(60));
        AtomicInteger hits = new AtomicInteger();
        String url = "http://127.0.0.1:" + port + "/slugs/s1.tgz?X-Amz-Signature=x";
        var result = new java.util.concurrent.CompletableFuture<Path>();
        Thread starting = new Thread(() -> {
            try {
                result.complete(cache.fetch("s1", url, Slugs.checksum(slug)));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        starting.start();
        // the download is under way and failing; the store comes back a moment later
        Thread.sleep(1_500); // the outage itself, not a synchronisation: the download must be waiting through it
        assertTrue(!result.isDone(), "still retrying while the store is away");
        HttpServer server = store(port, 200, bytes, hits);
        try {
            Path fetched = result.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertArrayEquals(bytes, Files.readAllBytes(fetched));
            assertEquals(1, hits.get());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aRefusedUrlOrAWrongChecksumFailsAtOnce() throws Exception {
        Path slug = Slugs.build(dir, Map.of("server.sh", "echo hi\n"));
        byte[] bytes = Files.readAllBytes(slug);
        AtomicInteger forbiddenHits = new AtomicInteger();
        AtomicInteger okHits = new AtomicInteger();
        HttpServer forbidden = store(0, 403, new byte[0], forbiddenHits);
        HttpServer ok = store(0, 200, bytes, okHits);
        try {
            SlugCache cache = new SlugCache(dir.resolve("slugs"), http, Duration.ofSeconds(60));
            assertThrows(Retry.Permanent.class, () -> cache.fetch("s2",
                    "http://127.0.0.1:" + forbidden.getAddress().getPort() + "/s2", Slugs.checksum(slug)));
            assertEquals(1, forbiddenHits.get());
            assertThrows(Retry.Permanent.class, () -> cache.fetch("s3",
                    "http://127.0.0.1:" + ok.getAddress().getPort() + "/s3", "SHA256:" + "0".repeat(64)));
            assertEquals(1, okHits.get());
            assertTrue(Files.notExists(dir.resolve("slugs/s3.tgz")), "a slug that failed its checksum is never kept");
        } finally {
            forbidden.stop(0);
            ok.stop(0);
        }
    }
}
