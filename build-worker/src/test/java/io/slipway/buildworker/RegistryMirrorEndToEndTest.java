package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.BusyboxBaseImage;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RegistryServer;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import io.slipway.shared.images.ImageConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * {@code FROM} an image the platform does not have, pulled from a registry mirror: a real {@code docker-registry}
 * on loopback (plain HTTP, {@code SLIPWAY_REGISTRY_MIRROR_INSECURE}), images pushed into it with real Buildah,
 * built through a real worker. Platform base images keep priority; no other registry is ever contacted.
 * Skipped without Buildah, runc as root, a static busybox or {@code docker-registry}.
 */
class RegistryMirrorEndToEndTest {
    private static final Duration BUILD = Duration.ofMinutes(4);
    @TempDir static Path shared;
    @TempDir Path app;
    private static RegistryServer registry;
    private static WorkerFixture fixture;
    private static String tinyDigest;

    @BeforeAll
    static void start() throws Exception {
        BusyboxBaseImage.assumeAvailable();
        RegistryServer.assumeAvailable();
        registry = RegistryServer.start(Files.createDirectories(shared.resolve("registry")));
        Path work = Files.createDirectories(shared.resolve("images"));
        tinyDigest = registry.push(BusyboxBaseImage.layer("tiny", work, Map.of("etc/origin", "pulled-from-the-mirror\n")),
                "library/tiny:1", null, "sh");
        // the mirror's own image of a name the platform has: never used while the platform has it
        registry.push(BusyboxBaseImage.layer("mirrored-testbase", work, Map.of("etc/origin", "the-mirrors-testbase\n")),
                "library/testbase:latest", "1000", "sh");
        fixture = new WorkerFixture(Files.createDirectories(shared.resolve("worker")), Map.of(
                "SLIPWAY_REGISTRY_MIRROR", registry.host(), "SLIPWAY_REGISTRY_MIRROR_INSECURE", "true",
                "SLIPWAY_IMAGE_STORAGE_MB", "512"));
        BusyboxBaseImage.register(fixture.api, "testbase", Files.createDirectories(shared.resolve("base")));
    }

    @AfterAll
    static void stop() {
        if (fixture != null) fixture.close();
        if (registry != null) registry.close();
    }

    @Test
    void aFromTheMirrorIsPulledAndBuiltOn() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", """
                FROM tiny:1
                RUN echo "origin: $(cat /etc/origin)"
                USER 1000
                CMD ["cat", "/etc/origin"]
                """));
        QueuedBuild queued = enqueue("mirror-pull");
        succeeded(queued);
        String output = fixture.api.awaitOutput(queued.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("Pulling base image tiny:1 from the registry mirror"), output);
        assertTrue(output.contains("       origin: pulled-from-the-mirror\n"), output);
        assertTrue(fixture.api.baseImageRequests().contains("tiny:1"), "the platform was asked first");
        assertTrue(registry.log().contains("/v2/library/tiny/manifests/1"), "Docker Hub-style name under library/");
    }

    @Test
    void everyStageAndCopyFromIsPulledTheSameWay() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", """
                FROM library/tiny:1 AS first
                RUN cp /etc/origin /stage-one
                FROM %s/library/tiny:1
                COPY --from=first /stage-one /one
                COPY --from=tiny@%s /etc/origin /two
                COPY --from=docker.io/library/tiny:1 /etc/origin /three
                COPY --from=tiny:1@%s /etc/origin /four
                RUN echo "stages: $(cat /one) $(cat /two) $(cat /three) $(cat /four)"
                USER 1000
                """.formatted(registry.host(), tinyDigest, tinyDigest)));
        QueuedBuild queued = enqueue("mirror-stages");
        succeeded(queued);
        String output = fixture.api.awaitOutput(queued.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("       stages: pulled-from-the-mirror pulled-from-the-mirror pulled-from-the-mirror "
                + "pulled-from-the-mirror\n"),
                output);
    }

    @Test
    void platformBaseImagesKeepPriorityAndStayOffline() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", """
                FROM testbase
                RUN if [ -e /etc/origin ]; then echo "used the mirror's image"; else echo "used the platform image"; fi
                USER 1000
                """));
        int logged = registry.log().length(); // (the setup pushed library/testbase)
        QueuedBuild queued = enqueue("mirror-priority");
        succeeded(queued);
        String output = fixture.api.awaitOutput(queued.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("       used the platform image\n"), output);
        assertFalse(registry.log().substring(logged).contains("library/testbase"), "the mirror was not asked");
    }

    @Test
    void anotherRegistryHostIsRefusedWithoutAConnection() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket other = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread accepter = new Thread(() -> {
                while (!other.isClosed()) {
                    try {
                        other.accept().close();
                        connections.incrementAndGet();
                    } catch (java.io.IOException closed) {
                        return;
                    }
                }
            });
            accepter.start();
            String host = "127.0.0.1:" + other.getLocalPort();
            for (String from : List.of(host + "/library/tiny:1", "evil.example:5000/x", "localhost:" + other.getLocalPort() + "/x")) {
                TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nCOPY --from=" + from + " /etc/origin /o\nUSER 1000\n"));
                String domain = from.substring(0, from.indexOf('/'));
                assertEquals("FROM " + from + (from.contains(":") && from.lastIndexOf(':') > from.indexOf('/') ? "" : ":latest")
                        + ": builds pull images from the platform's registry mirror only, not from " + domain
                        + "; name the image without a registry host (like python:3.12).", failure(enqueue("mirror-ssrf")));
            }
        }
        assertEquals(0, connections.get(), "no connection to a registry the tenant named");
    }

    @Test
    void anImageTheMirrorLacksFailsWithAClearMessage() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", "FROM missing:1\nUSER 1000\n"));
        assertEquals("Base image missing:1 cannot be pulled from the registry mirror (manifest unknown) and the "
                + "platform has no such base image.", failure(enqueue("mirror-missing")));
        TestApps.write(app, Map.of("Dockerfile", "FROM someone/missing@sha256:" + "0".repeat(64) + "\nUSER 1000\n"));
        String message = failure(enqueue("mirror-missing"));
        assertTrue(message.startsWith("Base image someone/missing@sha256:" + "0".repeat(64)
                + " cannot be pulled from the registry mirror ("), message);
    }

    @Test
    void theWorkersOwnImageNamesCannotBePulledOver() throws Exception {
        QueuedBuild victim = enqueue("mirror-victim"); // (its source does not matter: only its app id)
        fixture.api.awaitResult(victim.buildId(), BUILD);
        String name = "app-" + victim.appId().toLowerCase(java.util.Locale.ROOT);
        TestApps.write(app, Map.of("Dockerfile", "FROM " + name + "\nUSER 1000\n"));
        assertEquals("FROM " + name + ":latest: this name is reserved for the build worker's own images.",
                failure(enqueue("mirror-attacker")));
    }

    @Test
    void aPullCountsAgainstTheImageStorage() throws Exception {
        // a few hundred KB on the mirror that unpack to 700 MB: past the worker's 512 MB image storage
        registry.pushZeros("library/bomb", "1", 700L << 20);
        TestApps.write(app, Map.of("Dockerfile", "FROM bomb:1\nUSER 1000\n"));
        String message = failure(enqueue("mirror-bomb"));
        assertTrue(message.startsWith("Base image bomb:1 cannot be pulled from the registry mirror ("), message);
        assertTrue(message.contains("no space left on device"), message);
        try (var staged = Files.list(fixture.dir.resolve("worker/images/pull-tmp"))) {
            assertEquals(List.of(), staged.toList(), "nothing the failed pull staged is left");
        }
        // what the failed pull wrote is gone: the next build has the storage again
        TestApps.write(app, Map.of("Dockerfile", "FROM tiny:1\nRUN head -c 100000000 /dev/zero > /x\nUSER 1000\n"));
        succeeded(enqueue("mirror-bomb"));
    }

    @Test
    void aPulledImageIsCheckedLikeAnyBase() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", "FROM tiny:1\nCMD [\"sh\"]\n")); // tiny runs as root
        assertEquals(ImageConfig.ROOT_REFUSED, failure(enqueue("mirror-root")));
    }

    private QueuedBuild enqueue(String appName) throws Exception {
        if (!Files.exists(app.resolve("Dockerfile"))) TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nUSER 1000\n"));
        return fixture.api.enqueue(appName, TestApps.tgz(app), List.of(), Map.of(), Map.of());
    }

    private static void succeeded(QueuedBuild queued) throws Exception {
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), BUILD);
        assertEquals("succeeded", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
    }

    private static String failure(QueuedBuild queued) throws Exception {
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), BUILD);
        assertEquals("failed", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
        return (String) result.get("message");
    }
}
