package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.BusyboxBaseImage;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dockerfile build is held to the build's limits: its pids limit (a fork bomb fails the step), the worker's
 * sized image storage (a RUN step writing past it gets ENOSPC, the host's disk is untouched), its time
 * (Buildah and the RUN step's processes are killed) and its lease (a lost lease kills it and posts nothing).
 */
class DockerfileLimitsEndToEndTest {
    @TempDir static Path shared;
    @TempDir Path app;
    private static WorkerFixture fixture;
    private static java.util.Set<String> containersBefore;

    @BeforeAll
    static void startWorker() throws Exception {
        BusyboxBaseImage.assumeAvailable();
        containersBefore = buildahContainers();
        fixture = new WorkerFixture(shared, Map.of("SLIPWAY_BUILD_PIDS_LIMIT", "64", "SLIPWAY_IMAGE_STORAGE_MB", "512"));
        BusyboxBaseImage.register(fixture.api, "testbase", Files.createDirectories(shared.resolve("base")));
    }

    @AfterAll
    static void stopWorker() {
        if (fixture != null) fixture.close();
    }

    @Test
    void aForkBombHitsThePidsLimit() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", """
                FROM testbase
                RUN for i in $(seq 1 200); do sleep 30 & done; echo "all 200 started"
                USER 1000
                """));
        QueuedBuild queued = fixture.api.enqueue("docker-forks", TestApps.tgz(app), List.of(), Map.of(), Map.of());
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(3));
        String output = fixture.api.output(queued.buildId());
        assertEquals("failed", result.get("status"), output);
        assertTrue(output.contains("can't fork"), output);
        assertTrue(!output.contains("\n       all 200 started\n"), output); // (the STEP line shows the command)
        awaitNoProcess("sleep 30"); // the step's cgroup was emptied when it ended
    }

    @Test
    void aRunStepCannotWritePastTheImageStorage() throws Exception {
        TestApps.write(app, Map.of("Dockerfile", """
                FROM testbase
                RUN head -c 700000000 /dev/zero > /big
                USER 1000
                """));
        QueuedBuild queued = fixture.api.enqueue("docker-disk", TestApps.tgz(app), List.of(), Map.of(), Map.of());
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(3));
        String output = fixture.api.output(queued.buildId());
        assertEquals("failed", result.get("status"), output);
        assertTrue(output.toLowerCase(java.util.Locale.ROOT).contains("no space left on device"), output);
        // the failed step's container is gone with what it wrote: the next build has the storage again
        TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nRUN echo after-the-full-disk > /x\nUSER 1000\n"));
        QueuedBuild next = fixture.api.enqueue("docker-disk", TestApps.tgz(app), List.of(), Map.of(), Map.of());
        Map<String, Object> after = fixture.api.awaitResult(next.buildId(), Duration.ofMinutes(3));
        assertEquals("succeeded", after.get("status"), () -> fixture.api.output(next.buildId()));
    }

    @Test
    void aBuildOverItsTimeIsKilledWithItsRunStep() throws Exception {
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(4000, 9000));
        TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nRUN echo sleeping && sleep " + marker + "\nUSER 1000\n"));
        QueuedBuild queued = fixture.api.enqueue("docker-slow", TestApps.tgz(app), List.of(), Map.of(),
                Map.of("timeout_seconds", 6));
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(3));
        assertEquals("failed", result.get("status"));
        assertEquals("Timed out building the Docker image (6 seconds)", result.get("message"));
        awaitNoProcess("sleep " + marker);
        assertNoCgroupLeft(queued.buildId());
        assertNoContainerLeft();
    }

    @Test
    void aLostLeaseKillsTheBuildAndPostsNothing() throws Exception {
        String marker = String.valueOf(ThreadLocalRandom.current().nextInt(4000, 9000));
        TestApps.write(app, Map.of("Dockerfile", "FROM testbase\nRUN echo sleeping && sleep " + marker + "\nUSER 1000\n"));
        QueuedBuild queued = fixture.api.enqueue("docker-lease", TestApps.tgz(app), List.of(), Map.of(),
                Map.of("lease_seconds", 3));
        try {
            fixture.api.awaitOutput(queued.buildId(), "\n       sleeping\n", Duration.ofMinutes(2));
            assertTrue(processRunning("sleep " + marker), "the RUN step runs");
        } finally {
            fixture.api.loseLease(queued.buildId()); // also when the checks above fail: the worker has one slot
        }
        awaitNoProcess("sleep " + marker);
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (fixture.worker.activeBuilds() > 0 && System.nanoTime() < end) Thread.sleep(100);
        assertEquals(0, fixture.worker.activeBuilds());
        assertNull(fixture.api.result(queued.buildId()), "no result after the lease was lost");
        assertNoCgroupLeft(queued.buildId());
        assertNoContainerLeft();
    }

    /** A killed RUN step's runc container (Buildah names them buildah-*) is deleted, not left stopped. */
    private static void assertNoContainerLeft() throws Exception {
        java.util.Set<String> left = buildahContainers();
        left.removeAll(containersBefore);
        assertTrue(left.isEmpty(), "runc containers left by a killed build: " + left);
    }

    private static java.util.Set<String> buildahContainers() throws Exception {
        Process p = new ProcessBuilder("runc", "list", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (String id : out.split("\\s+")) if (id.startsWith("buildah-")) ids.add(id);
        return ids;
    }

    private static void assertNoCgroupLeft(String buildId) throws IOException {
        String name = "slipway-img-" + buildId.replaceAll("[^A-Za-z0-9-]", "");
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : hierarchies.toList()) assertTrue(!Files.exists(h.resolve(name)), h.resolve(name) + " left");
        }
    }

    private static void awaitNoProcess(String cmdline) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (processRunning(cmdline)) {
            if (System.nanoTime() > end) throw new AssertionError("a process '" + cmdline + "' is still running");
            Thread.sleep(100);
        }
    }

    private static boolean processRunning(String cmdline) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    // busybox runs sleep inside the shell (a no-fork applet): match the command line anywhere
                    String c = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\u0000', ' ');
                    if (c.contains(cmdline) && !c.contains("java")) return true;
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return false;
    }
}
