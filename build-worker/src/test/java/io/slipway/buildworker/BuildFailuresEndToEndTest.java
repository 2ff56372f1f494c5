package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.container.RuncRunner;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RuncAvailable;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a build fails posts {@code failed} with a message the app's owner can act on, and no slug. */
class BuildFailuresEndToEndTest {
    @TempDir static Path shared;
    @TempDir Path app;
    private static WorkerFixture fixture;

    @BeforeAll
    static void startWorker() throws IOException {
        RuncAvailable.assume();
        fixture = new WorkerFixture(shared, Map.of());
    }

    @AfterAll
    static void stopWorker() {
        if (fixture != null) fixture.close();
    }

    /** Runs the build to its end and answers the posted failure message (after checking there is no slug). */
    private static String failure(QueuedBuild queued) throws Exception {
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(2));
        assertEquals("failed", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
        assertFalse(Files.exists(fixture.api.blobFile(queued.slugKey())), "no slug uploaded");
        String message = (String) result.get("message");
        assertFalse(message.contains("\n"), "one line");
        return message;
    }

    private static QueuedBuild enqueue(byte[] source, List<String> buildpacks, Map<String, Object> overrides)
            throws IOException {
        return fixture.api.enqueue("failing-app", source, buildpacks, Map.of(), overrides);
    }

    @Test
    void noDetectableBuildpack() throws Exception {
        TestApps.write(app, Map.of("README.md", "nothing to run\n"));
        QueuedBuild queued = enqueue(TestApps.tgz(app), List.of(), Map.of());
        assertEquals("No default language could be detected for this app.", failure(queued));
        String output = fixture.api.output(queued.buildId());
        assertTrue(output.contains(" !     No default language could be detected for this app.\n"), output);
        assertFalse(output.contains("Compressing"), output);
    }

    @Test
    void compileError() throws Exception {
        TestApps.write(app, Map.of("package.json", "{\"name\": \"broken\", \"dependencies\": {\n"));
        QueuedBuild queued = enqueue(TestApps.tgz(app), List.of(), Map.of());
        assertEquals("Push rejected, failed to compile Node.js app.", failure(queued));
        String output = fixture.api.output(queued.buildId());
        assertTrue(output.contains("-----> Node.js app detected\n"), output);
        assertTrue(output.contains(" !     Push rejected, failed to compile Node.js app.\n"), output);
    }

    @Test
    void timeoutKillsTheBuild() throws Exception {
        Path buildpack = TestApps.write(Files.createDirectory(app.resolve("bp")), Map.of(
                "bin/detect", "#!/bin/sh\necho Sleepy\n",
                "bin/compile", "#!/bin/sh\necho compiling forever\nsleep 1000\n"));
        Path source = TestApps.write(Files.createDirectory(app.resolve("src")), Map.of("Procfile", "web: true\n"));
        long start = System.nanoTime();
        QueuedBuild queued = enqueue(TestApps.tgz(source), List.of(buildpack.toString()),
                Map.of("timeout_seconds", 3));
        assertEquals("Timed out compiling Sleepy app (3 seconds)", failure(queued));
        assertTrue((System.nanoTime() - start) / 1e9 < 60, "killed, not waited for");
        assertTrue(fixture.api.output(queued.buildId()).contains("compiling forever\n"));
        assertTrue(new RuncRunner("runc", fixture.worker.buildRoot().resolve("runc")).containers().isEmpty(),
                "no container left behind");
    }

    @Test
    void oversizedSlug() throws Exception {
        byte[] noise = new byte[300 * 1024];
        new Random(42).nextBytes(noise); // incompressible
        TestApps.write(app, Map.of("Procfile", "web: true\n"));
        Files.write(app.resolve("noise.bin"), noise);
        QueuedBuild queued = enqueue(TestApps.tgz(app), List.of(), Map.of("max_slug_bytes", 100 * 1024));
        String message = failure(queued);
        assertTrue(message.matches("Compiled slug size: 30\\dK is too large \\(max is 100K\\)\\."), message);
        assertTrue(fixture.api.output(queued.buildId()).contains(" !     " + message + "\n"));
    }

    @Test
    void unreachableBuildpackUrls() throws Exception {
        TestApps.write(app, Map.of("Procfile", "web: true\n"));
        byte[] source = TestApps.tgz(app);
        for (String url : List.of("https://127.0.0.1:9/buildpack.tgz", "https://127.0.0.1:9/buildpack.git#v1")) {
            QueuedBuild queued = enqueue(source, List.of(url), Map.of());
            String message = failure(queued);
            assertTrue(message.contains(url.replace("#v1", "")), message);
        }
        QueuedBuild secret = enqueue(source, List.of("https://someone:s3cret-token@127.0.0.1:9/bp.git"), Map.of());
        String message = failure(secret);
        assertTrue(message.contains("https://127.0.0.1:9/bp.git"), message);
        assertFalse(message.contains("s3cret") || fixture.api.output(secret.buildId()).contains("s3cret"),
                "credentials in a buildpack URL are never shown");
        QueuedBuild unknown = enqueue(source, List.of("heroku/ruby"), Map.of());
        assertTrue(failure(unknown).startsWith("Unknown buildpack heroku/ruby"));
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    @Test
    void corruptOrUnsafeSourceArchives() throws Exception {
        QueuedBuild notGzip = enqueue("this is not a tarball".getBytes(StandardCharsets.UTF_8), List.of(), Map.of());
        assertEquals("The source archive is not a valid tar.gz: not a gzip file", failure(notGzip));

        QueuedBuild garbage = enqueue(gzip("garbage".repeat(200).getBytes(StandardCharsets.UTF_8)), List.of(),
                Map.of());
        assertEquals("The source archive is not a valid tar.gz: not a valid tar archive (Corrupted TAR archive.)",
                failure(garbage));

        QueuedBuild empty = enqueue(gzip(new byte[1024]), List.of(), Map.of());
        assertEquals("The source archive is empty.", failure(empty));

        TestApps.write(app, Map.of("Procfile", "web: true\n"));
        byte[] good = TestApps.tgz(app);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
        QueuedBuild cut = enqueue(truncated, List.of(), Map.of());
        assertTrue(failure(cut).startsWith("The source archive is not a valid tar.gz"));

        QueuedBuild tampered = enqueue(good, List.of(), Map.of("source_checksum", "SHA256:" + "0".repeat(64)));
        assertTrue(failure(tampered).startsWith("The source archive does not match its checksum"));

        Path evil = Files.createDirectories(app.resolve("evil/inner"));
        Files.writeString(evil.getParent().resolve("escape.txt"), "outside\n");
        Path tgz = app.resolve("evil.tgz");
        TestApps.run(evil, "tar", "czf", tgz.toString(), "-P", "../escape.txt");
        QueuedBuild dotDot = enqueue(Files.readAllBytes(tgz), List.of(), Map.of());
        assertEquals("The source archive was refused: entry ../escape.txt contains '..'", failure(dotDot));
    }
}
