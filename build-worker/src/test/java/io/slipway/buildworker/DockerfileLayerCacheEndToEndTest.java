package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.BusyboxBaseImage;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile layer cache travels through object storage: a worker that never built the app gets the unchanged
 * steps from the cache another worker saved, and an app's saved cache holds nothing of another app built on the
 * same worker. Real Buildah and runc, a static-busybox base image.
 */
class DockerfileLayerCacheEndToEndTest {
    private static final Duration BUILD = Duration.ofMinutes(4);
    @TempDir Path dir;
    @TempDir Path app;
    private WorkerFixture fixture;
    private BuildWorker second;

    @BeforeEach
    void start() throws Exception {
        BusyboxBaseImage.assumeAvailable();
        fixture = new WorkerFixture(dir, Map.of());
        BusyboxBaseImage.register(fixture.api, "testbase", Files.createDirectories(dir.resolve("base")));
    }

    @AfterEach
    void stop() {
        if (second != null) second.close();
        if (fixture != null) fixture.close();
    }

    @Test
    void aWorkerThatNeverBuiltTheAppReusesTheStepsAnotherWorkerSaved() throws Exception {
        String secret = "OTHER-APP-" + UUID.randomUUID();
        TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nRUN echo " + secret + " > /secret\nUSER 1000\n"));
        succeed(fixture.api.enqueue("docker-other", TestApps.tgz(app), List.of(), Map.of(), Map.of()));
        awaitIdle(fixture.worker);

        Path other = Files.createDirectories(app.resolve("../travel-" + UUID.randomUUID()).normalize());
        TestApps.write(other, Map.of("Dockerfile", """
                FROM testbase
                RUN echo installing dependencies && mkdir /deps && echo deps > /deps/list
                COPY app.txt /app/app.txt
                USER 1000
                CMD ["cat", "/app/app.txt"]
                """, "app.txt", "version 1\n"));
        QueuedBuild first = fixture.api.enqueue("docker-travel", TestApps.tgz(other), List.of(), Map.of(), Map.of());
        succeed(first);
        awaitIdle(fixture.worker); // the cache is saved after the result, off the push's path
        String firstOutput = fixture.api.awaitOutput(first.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(Files.isRegularFile(fixture.api.blobFile(first.cacheKey())), firstOutput);
        String saved = cacheText(first.cacheKey());
        assertTrue(saved.contains("installing dependencies"), "the app's own steps are saved");
        assertFalse(saved.contains(secret), "another app's image built on the same worker is not in this app's cache");

        fixture.worker.close(); // from now on a worker with an empty storage builds
        second = fixture.anotherWorker(Files.createDirectories(dir.resolve("worker-b")), "test-worker-b");
        TestApps.write(other, Map.of("app.txt", "version 2\n"));
        QueuedBuild next = fixture.api.enqueue("docker-travel", TestApps.tgz(other), List.of(), Map.of(), Map.of());
        succeed(next);
        String output = fixture.api.awaitOutput(next.buildId(), "Released v", Duration.ofSeconds(30));
        assertTrue(output.contains("Restored the layer cache"), output);
        int run = output.indexOf("RUN echo installing dependencies");
        assertTrue(run >= 0 && output.indexOf("--> Using cache", run) > run, output);
        assertFalse(output.contains("       installing dependencies\n"), "the cached RUN step did not run again");
    }

    @Test
    void everyImageOfAHerokuYmlWithSeveralDockerfilesTravels() throws Exception {
        TestApps.write(app, Map.of("heroku.yml", "build:\n  docker:\n    web: Dockerfile\n    worker: worker/Dockerfile\n",
                "Dockerfile", """
                FROM testbase
                RUN echo web dependencies && mkdir /deps
                COPY app.txt /app/app.txt
                USER 1000
                CMD ["cat", "/app/app.txt"]
                """, "worker/Dockerfile", """
                FROM testbase
                RUN echo worker dependencies && mkdir /work
                COPY app.txt /work/app.txt
                USER 1000
                CMD ["cat", "/work/app.txt"]
                """, "app.txt", "version 1\n"));
        QueuedBuild first = fixture.api.enqueue("docker-yml-travel", TestApps.tgz(app), List.of(), Map.of(), Map.of());
        succeed(first);
        awaitIdle(fixture.worker);
        String saved = cacheText(first.cacheKey());
        assertTrue(saved.contains("web dependencies") && saved.contains("worker dependencies"), "both images' steps are saved");

        fixture.worker.close();
        second = fixture.anotherWorker(Files.createDirectories(dir.resolve("worker-b")), "test-worker-b");
        TestApps.write(app, Map.of("app.txt", "version 2\n"));
        QueuedBuild next = fixture.api.enqueue("docker-yml-travel", TestApps.tgz(app), List.of(), Map.of(), Map.of());
        succeed(next);
        String output = fixture.api.awaitOutput(next.buildId(), "Released v", Duration.ofSeconds(30));
        for (String step : List.of("RUN echo web dependencies", "RUN echo worker dependencies")) {
            int run = output.indexOf(step);
            assertTrue(run >= 0 && output.indexOf("--> Using cache", run) > run, step + ": " + output);
        }
        assertFalse(output.contains("       worker dependencies\n"), "the worker image's cached RUN step did not run again");
    }

    private static void awaitIdle(BuildWorker worker) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (worker.activeBuilds() > 0 && System.nanoTime() < end) Thread.sleep(100);
        assertEquals(0, worker.activeBuilds(), "the worker finished the build");
    }

    private void succeed(QueuedBuild queued) throws Exception {
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), BUILD);
        assertEquals("succeeded", result.get("status"), () -> result + "\n" + fixture.api.output(queued.buildId()));
    }

    /** Every JSON document (configs, manifests, index) in the saved cache object, as one text. */
    private String cacheText(String key) throws Exception {
        StringBuilder text = new StringBuilder();
        try (InputStream in = Files.newInputStream(fixture.api.blobFile(key));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                if (!entry.isFile() || entry.getSize() > (1 << 20)) continue;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                tar.transferTo(bytes);
                String s = bytes.toString(StandardCharsets.UTF_8);
                if (s.startsWith("{")) text.append(s).append('\n');
            }
        }
        return text.toString();
    }
}
