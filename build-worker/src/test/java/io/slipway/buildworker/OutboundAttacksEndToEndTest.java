package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RuncAvailable;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile user's {@code source_blob.url} and buildpack URLs aimed at the platform's inside: the worker's own
 * loopback (here the fake api-server's object store on 127.0.0.1, reachable and serving a real tarball, so the
 * old code fetched it), cloud metadata, private ranges, and every spelling of loopback. The operator allows
 * only 127.0.0.2 here, where a legitimate source server runs; from it a build works, and its redirect to
 * 127.0.0.1 is refused.
 */
class OutboundAttacksEndToEndTest {
    @TempDir static Path shared;
    private static WorkerFixture fixture;
    private static HttpServer allowed;
    private static final AtomicInteger internalHits = new AtomicInteger();
    private static byte[] source;
    private static Path buildpack;

    @BeforeAll
    static void start() throws IOException {
        RuncAvailable.assume();
        fixture = new WorkerFixture(shared, Map.of("SLIPWAY_OUTBOUND_ALLOW", "127.0.0.2/32",
                "SLIPWAY_OUTBOUND_MAX_DOWNLOAD_MB", "1"));
        Path app = TestApps.write(Files.createDirectories(shared.resolve("app")), Map.of("Procfile", "web: true\n"));
        source = TestApps.tgz(app);
        buildpack = TestApps.write(Files.createDirectories(shared.resolve("bp")), Map.of(
                "bin/detect", "#!/bin/sh\necho Plain\n", "bin/compile", "#!/bin/sh\ntrue\n"));
        allowed = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
        allowed.createContext("/app.tgz", ex -> {
            ex.sendResponseHeaders(200, source.length);
            try (OutputStream out = ex.getResponseBody()) { out.write(source); }
        });
        allowed.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", internalSourceUrl("127.0.0.1"));
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        allowed.start();
    }

    @AfterAll
    static void stop() {
        if (allowed != null) allowed.stop(0);
        if (fixture != null) fixture.close();
    }

    /** A tarball the fake api-server really serves on loopback: what the attack would have read. */
    private static String internalSourceUrl(String host) {
        try {
            String url = fixture.api.putBlob("sources/internal.tgz", source);
            URI uri = URI.create(url);
            return "http://" + host + ":" + uri.getPort() + uri.getRawPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> run(String sourceUrl, List<String> buildpacks) throws Exception {
        QueuedBuild queued = fixture.api.enqueue("outbound-app", source, buildpacks, Map.of(),
                Map.of("source_url", sourceUrl, "source_from_platform", false, "source_checksum", ""));
        Map<String, Object> result = new java.util.HashMap<>(fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(2)));
        result.put("output", fixture.api.output(queued.buildId()));
        return result;
    }

    @Test
    void aUserSourceUrlOnAnInternalAddressFailsTheBuildWithAClearLine() throws Exception {
        int port = URI.create(internalSourceUrl("127.0.0.1")).getPort();
        for (String url : List.of(internalSourceUrl("127.0.0.1"), internalSourceUrl("localhost"),
                internalSourceUrl("[::1]"), internalSourceUrl("[::ffff:127.0.0.1]"), internalSourceUrl("2130706433"),
                internalSourceUrl("0177.0.0.1"), "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1:" + port + "/",
                "http://127.0.0.2:" + allowed.getAddress().getPort() + "/redirect")) {
            Map<String, Object> result = run(url, List.of(buildpack.toString()));
            assertEquals("failed", result.get("status"), url + ": " + result);
            String message = (String) result.get("message");
            assertTrue(message.startsWith("Could not download the source archive: ")
                    && (message.contains("is refused") || message.contains("unusual form")), url + ": " + message);
            assertTrue(((String) result.get("output")).contains(message), "the user sees why in the build output");
        }
    }

    @Test
    void aBuildFromAnAllowedServerStillWorks() throws Exception {
        Map<String, Object> result = run("http://127.0.0.2:" + allowed.getAddress().getPort() + "/app.tgz",
                List.of(buildpack.toString()));
        assertEquals("succeeded", result.get("status"), () -> result.toString());
    }

    @Test
    void anUploadedSourcePastTheDownloadCapFailsTheBuild() throws Exception {
        byte[] huge = new byte[2 * 1024 * 1024];
        new java.util.Random(3).nextBytes(huge);
        QueuedBuild queued = fixture.api.enqueue("outbound-app", huge, List.of(buildpack.toString()), Map.of(), Map.of());
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(2));
        assertEquals("failed", result.get("status"), () -> result.toString());
        assertEquals("The source archive is larger than the 1 MiB limit.", result.get("message"));
    }

    @Test
    void buildpackUrlsOnInternalAddressesAreRefused() throws Exception {
        String tarball = fixture.api.putBlob("buildpacks/plain.tgz", TestApps.tgz(buildpack));
        TestApps.run(shared, "git", "clone", "-q", "--bare", gitRepo().toString(), fixture.api.gitRoot().resolve("plain.git").toString());
        for (String url : List.of(tarball, fixture.api.url() + "/git/plain.git",
                tarball.replace("127.0.0.1", "localhost"), fixture.api.url().replace("127.0.0.1", "0177.0.0.1") + "/git/plain.git")) {
            Map<String, Object> result = run("http://127.0.0.2:" + allowed.getAddress().getPort() + "/app.tgz", List.of(url));
            assertEquals("failed", result.get("status"), url + ": " + result);
            String message = (String) result.get("message");
            assertTrue(message.contains("is refused") || message.contains("unusual form"), url + ": " + message);
        }
    }

    private static Path gitRepo() throws IOException {
        Path dir = Files.createDirectories(shared.resolve("plain-src"));
        if (!Files.exists(dir.resolve(".git"))) {
            TestApps.write(dir, Map.of("bin/detect", "#!/bin/sh\necho Plain\n", "bin/compile", "#!/bin/sh\ntrue\n"));
            TestApps.gitCommit(dir);
        }
        return dir;
    }
}
