package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.BusyboxBaseImage;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RegistryServer;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry mirror over HTTPS, the default (no insecure flag): its certificate is verified, against the
 * platform CA the worker is given ({@code SLIPWAY_CA_FILE}) besides the system's. A worker without that CA pulls
 * nothing from it. Skipped without Buildah, runc as root, a static busybox or {@code docker-registry}.
 */
class RegistryMirrorTlsEndToEndTest {
    private static final Duration BUILD = Duration.ofMinutes(4);
    @TempDir static Path shared;
    @TempDir Path app;
    private static RegistryServer registry;

    @BeforeAll
    static void start() throws Exception {
        BusyboxBaseImage.assumeAvailable();
        RegistryServer.assumeAvailable();
        registry = RegistryServer.startTls(Files.createDirectories(shared.resolve("registry")));
        Path work = Files.createDirectories(shared.resolve("images"));
        registry.push(BusyboxBaseImage.layer("tiny", work, Map.of("etc/origin", "pulled-over-https\n")),
                "library/tiny:1", "1000", "sh");
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    @Test
    void theMirrorsCertificateIsVerifiedWithThePlatformCa() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", "FROM tiny:1\nRUN echo \"origin: $(cat /etc/origin)\"\n"));
        try (WorkerFixture trusting = worker("trusting", Map.of("SLIPWAY_CA_FILE", registry.caFile().toString()))) {
            QueuedBuild queued = trusting.api.enqueue("mirror-tls", TestApps.tgz(app), List.of(), Map.of(), Map.of());
            Map<String, Object> result = trusting.api.awaitResult(queued.buildId(), BUILD);
            assertEquals("succeeded", result.get("status"), () -> result + "\n" + trusting.api.output(queued.buildId()));
            assertTrue(trusting.api.output(queued.buildId()).contains("       origin: pulled-over-https\n"));
        }
        try (WorkerFixture untrusting = worker("untrusting", Map.of())) {
            QueuedBuild queued = untrusting.api.enqueue("mirror-tls", TestApps.tgz(app), List.of(), Map.of(), Map.of());
            Map<String, Object> result = untrusting.api.awaitResult(queued.buildId(), BUILD);
            assertEquals("failed", result.get("status"), () -> result + "\n" + untrusting.api.output(queued.buildId()));
            String message = (String) result.get("message");
            assertTrue(message.startsWith("Base image tiny:1 cannot be pulled from the registry mirror (")
                    && message.contains("certificate"), message);
        }
    }

    private static WorkerFixture worker(String name, Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(extra);
        env.put("SLIPWAY_REGISTRY_MIRROR", registry.host());
        env.put("SLIPWAY_IMAGE_STORAGE_MB", "512");
        return new WorkerFixture(Files.createDirectories(shared.resolve(name)), env);
    }
}
