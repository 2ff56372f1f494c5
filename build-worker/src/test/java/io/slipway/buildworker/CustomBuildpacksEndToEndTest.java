package io.slipway.buildworker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.container.RuncRunner;
import io.slipway.buildworker.support.FakeApiServer.QueuedBuild;
import io.slipway.buildworker.support.RuncAvailable;
import io.slipway.buildworker.support.TestApps;
import io.slipway.buildworker.support.WorkerFixture;
import java.io.IOException;
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
 * Buildpacks an app sets itself: a tarball URL, a git URL with {@code #ref}, an operator's local path, chained
 * with {@code export} files; and the lease: a build whose lease is lost is stopped without a result.
 */
class CustomBuildpacksEndToEndTest {
    @TempDir static Path shared;
    @TempDir Path dir;
    private static WorkerFixture fixture;

    @BeforeAll
    static void startWorker() throws IOException {
        RuncAvailable.assume();
        // the buildpack servers here are on loopback, which only an operator's allow-list opens
        fixture = new WorkerFixture(shared, Map.of("SLIPWAY_OUTBOUND_ALLOW", "127.0.0.0/8"));
    }

    @AfterAll
    static void stopWorker() {
        if (fixture != null) fixture.close();
    }

    @Test
    void tarballGitAndLocalBuildpacksChainedWithExportFiles() throws Exception {
        // 1: a tarball (with a top directory, as GitHub's are) whose export file passes a variable on
        Path first = TestApps.write(Files.createDirectories(dir.resolve("first/heroku-buildpack-first-main")), Map.of(
                "bin/detect", "#!/bin/sh\necho First\n",
                "bin/compile", """
                        #!/bin/bash
                        set -e
                        bp_dir=$(cd "$(dirname "$0")/.."; pwd)
                        echo "export GREETING=hello-from-first" > "$bp_dir/export"
                        echo "first ran as $(id -u)" > "$1/first.txt"
                        echo "-----> First compiled"
                        """,
                "bin/release", "#!/bin/sh\nprintf -- '---\\ndefault_process_types:\\n  worker: echo first\\n  web: echo overridden\\n'\n"));
        String tarballUrl = fixture.api.putBlob("buildpacks/first.tgz", TestApps.tgz(first.getParent()));

        // 2: a git repository; the tag v2 is the good version, main has moved on to a broken one
        Path second = TestApps.write(Files.createDirectories(dir.resolve("second")), Map.of(
                "bin/detect", "#!/bin/sh\necho Second\n",
                "bin/compile", "#!/bin/sh\necho \"$GREETING\" > \"$1/greeting.txt\"\n",
                "bin/release", "#!/bin/sh\nprintf -- '---\\ndefault_process_types:\\n  web: \"echo second\"\\n'\n"));
        TestApps.gitCommit(second);
        TestApps.run(second, "git", "tag", "v2");
        TestApps.write(second, Map.of("bin/compile", "#!/bin/sh\necho 'main is broken'\nexit 1\n"));
        TestApps.run(second, "git", "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qam", "break");
        TestApps.run(dir, "git", "clone", "-q", "--bare", second.toString(),
                fixture.api.gitRoot().resolve("second.git").toString());
        String gitUrl = fixture.api.url() + "/git/second.git#v2";

        // 3: an operator's directory on the worker, reading a config var from ENV_DIR
        Path third = TestApps.write(Files.createDirectories(dir.resolve("third")), Map.of(
                "bin/detect", "#!/bin/sh\necho Third\n",
                "bin/compile", "#!/bin/sh\ncat \"$3/SECRET_NAME\" > \"$1/env.txt\"\n"));

        Path app = TestApps.write(Files.createDirectories(dir.resolve("app")), Map.of("README", "custom\n"));
        QueuedBuild queued = fixture.api.enqueue("custom-app", TestApps.tgz(app),
                List.of(tarballUrl, gitUrl, third.toString()), Map.of("SECRET_NAME", "value-from-config"), Map.of());
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(2));
        String output = fixture.api.output(queued.buildId());
        assertEquals("succeeded", result.get("status"), () -> result + "\n" + output);

        Map<?, ?> slug = (Map<?, ?>) result.get("slug");
        assertEquals(Map.of("worker", "echo first", "web", "echo second"), slug.get("process_types"),
                "later buildpacks' defaults win");
        assertEquals("Third", slug.get("buildpack_provided_description"));
        Path stored = fixture.api.blobFile(queued.slugKey());
        assertEquals("first ran as 1000\n", TestApps.read(stored, "./app/first.txt"));
        assertEquals("hello-from-first\n", TestApps.read(stored, "./app/greeting.txt"), "export file sourced");
        assertEquals("value-from-config", TestApps.read(stored, "./app/env.txt"), "config vars in ENV_DIR");
        assertTrue(output.contains("-----> Using buildpacks:\n       1. " + tarballUrl + "\n       2. " + gitUrl
                + "\n       3. " + third + "\n"), output);
        assertTrue(output.contains("-----> First app detected\n-----> First compiled\n-----> Second app detected\n"),
                output);
        assertTrue(output.contains("-----> Third app detected\n"), output);
    }

    @Test
    void theCacheDirPersistsBetweenBuildsOfAnApp() throws Exception {
        Path buildpack = TestApps.write(Files.createDirectories(dir.resolve("counter")), Map.of(
                "bin/detect", "#!/bin/sh\necho Counter\n",
                "bin/compile", "#!/bin/sh\nn=$(cat \"$2/count\" 2>/dev/null || echo 0)\n"
                        + "echo $((n + 1)) > \"$2/count\"\ncp \"$2/count\" \"$1/count\"\n"));
        Path app = TestApps.write(Files.createDirectories(dir.resolve("app")), Map.of("Procfile", "web: true\n"));
        for (String expected : List.of("1\n", "2\n")) {
            QueuedBuild queued = fixture.api.enqueue("cached-app", TestApps.tgz(app), List.of(buildpack.toString()),
                    Map.of(), Map.of());
            Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(1));
            assertEquals("succeeded", result.get("status"), () -> fixture.api.output(queued.buildId()));
            assertEquals(expected, TestApps.read(fixture.api.blobFile(queued.slugKey()), "./app/count"));
        }
    }

    @Test
    void anExplicitBuildpackThatDoesNotDetectFailsTheBuild() throws Exception {
        Path app = TestApps.write(dir, Map.of("requirements.txt", "\n"));
        QueuedBuild queued = fixture.api.enqueue("python-app", TestApps.tgz(app),
                List.of("urn:buildpack:heroku/nodejs"), Map.of(), Map.of());
        Map<String, Object> result = fixture.api.awaitResult(queued.buildId(), Duration.ofMinutes(1));
        assertEquals("failed", result.get("status"));
        assertEquals("App not compatible with buildpack: urn:buildpack:heroku/nodejs", result.get("message"));
        assertTrue(fixture.api.output(queued.buildId())
                .contains("-----> App not compatible with buildpack: urn:buildpack:heroku/nodejs\n"));
    }

    @Test
    void aBuildWhoseLeaseIsLostIsStoppedWithoutAResult() throws Exception {
        Path buildpack = TestApps.write(Files.createDirectories(dir.resolve("bp")), Map.of(
                "bin/detect", "#!/bin/sh\necho Slow\n",
                "bin/compile", "#!/bin/sh\necho started\nsleep 1000\n"));
        Path app = TestApps.write(Files.createDirectories(dir.resolve("app")), Map.of("Procfile", "web: true\n"));
        QueuedBuild queued = fixture.api.enqueue("slow-app", TestApps.tgz(app), List.of(buildpack.toString()),
                Map.of(), Map.of("lease_seconds", 2));
        fixture.api.awaitOutput(queued.buildId(), "started\n", Duration.ofMinutes(1));
        long beats = fixture.api.heartbeats(queued.buildId());
        fixture.api.loseLease(queued.buildId());

        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (fixture.worker.activeBuilds() > 0 && System.nanoTime() < end) Thread.sleep(50);
        assertEquals(0, fixture.worker.activeBuilds(), "the build was stopped");
        // a build reports its result (if any) before it leaves activeBuilds, so none can arrive after this
        assertNull(fixture.api.result(queued.buildId()), "no result for a build this worker no longer holds");
        assertTrue(fixture.api.heartbeats(queued.buildId()) > beats, "heartbeats were sent while it ran");
        assertTrue(new RuncRunner("runc", fixture.worker.buildRoot().resolve("runc")).containers().isEmpty(),
                "its container was killed");
        assertTrue(fixture.api.claimedBy().contains("test-worker"));
    }

    @Test
    void stoppingTheWorkerKillsItsRunningBuildWithoutAResult() throws Exception {
        try (WorkerFixture own = new WorkerFixture(Files.createDirectories(dir.resolve("own")), Map.of())) {
            Path buildpack = TestApps.write(Files.createDirectories(dir.resolve("bp")), Map.of(
                    "bin/detect", "#!/bin/sh\necho Slow\n",
                    "bin/compile", "#!/bin/sh\necho started\nsleep 1000\n"));
            Path app = TestApps.write(Files.createDirectories(dir.resolve("app")), Map.of("Procfile", "web: true\n"));
            QueuedBuild queued = own.api.enqueue("slow-app", TestApps.tgz(app), List.of(buildpack.toString()),
                    Map.of(), Map.of());
            own.api.awaitOutput(queued.buildId(), "started\n", Duration.ofMinutes(1));
            long start = System.nanoTime();
            own.worker.stop(Duration.ofMillis(200));
            assertTrue((System.nanoTime() - start) / 1e9 < 30, "stopped promptly");
            assertEquals(0, own.worker.activeBuilds());
            assertNull(own.api.result(queued.buildId()), "the lease runs out and the api-server retries it");
            assertTrue(new RuncRunner("runc", own.worker.buildRoot().resolve("runc")).containers().isEmpty());
            assertTrue(!own.worker.isRunning());
        }
    }

    @Test
    void refusesToStartWhenBuildsCouldNotBeIsolated() {
        WorkerConfig config = WorkerConfig.fromEnv(Map.of("SLIPWAY_INTERNAL_API_URL", "http://127.0.0.1:9",
                "SLIPWAY_INTERNAL_TOKEN", "t", "SLIPWAY_BUILD_ROOT", dir.toString(),
                "SLIPWAY_RUNC", "/nonexistent/runc"));
        BuildWorker worker = new BuildWorker(config);
        IllegalStateException e = assertThrows(IllegalStateException.class, worker::start);
        assertTrue(e.getMessage().contains("never run without isolation"), e.getMessage());
        assertTrue(!worker.isRunning());
    }
}
