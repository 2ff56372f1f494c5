package io.slipway.buildworker.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.fs.Directories;
import io.slipway.buildworker.support.RuncAvailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The isolation every build step gets, checked against the real runc. */
class RuncRunnerTest {
    private static final AtomicInteger IDS = new AtomicInteger();
    @TempDir Path tmp;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void needsRunc() {
        RuncAvailable.assume();
    }

    private RuncRunner.Outcome run(String script, long memoryBytes, Duration timeout, Path buildDir)
            throws IOException {
        return run(script, memoryBytes, 256, timeout, buildDir);
    }

    private RuncRunner.Outcome run(String script, long memoryBytes, int pids, Duration timeout, Path buildDir)
            throws IOException {
        ContainerSpec spec = new ContainerSpec("slipway-test-" + ProcessHandle.current().pid() + "-"
                + IDS.incrementAndGet(), List.of("/bin/bash", "-c", script),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/tmp"), "/tmp/build", Path.of("/"),
                List.of(new ContainerSpec.Bind(buildDir, "/tmp/build", false)), memoryBytes, pids, 1000, 1000);
        RuncRunner runner = new RuncRunner("runc", tmp.resolve("runc"));
        Path bundle = tmp.resolve("bundle-" + IDS.get());
        RuncRunner.Outcome outcome = runner.run(spec, bundle, timeout, out::add, err::add, new Cancellation());
        assertTrue(runner.containers().isEmpty(), "container deleted afterwards");
        return outcome;
    }

    private Path buildDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("build"));
        Directories.chown(dir, 1000, 1000);
        return dir;
    }

    @Test
    void runsAsTheBuildUserWithTheStackReadOnlyAndTheBuildDirWritable() throws IOException {
        Path build = buildDir();
        RuncRunner.Outcome outcome = run("""
                id -u; id -g
                echo built > /tmp/build/out.txt && echo build-writable
                touch /usr/slipway-should-fail 2>/dev/null || echo usr-read-only
                touch /etc/slipway-should-fail 2>/dev/null || echo etc-read-only
                echo x > /tmp/scratch && echo tmp-writable
                ls /root >/dev/null 2>&1 || echo no-root-home
                echo to-stderr >&2
                exit 3
                """, 256L << 20, Duration.ofSeconds(60), build);
        assertEquals(3, outcome.exitCode());
        assertEquals(List.of("1000", "1000", "build-writable", "usr-read-only", "etc-read-only", "tmp-writable",
                "no-root-home"), out);
        assertTrue(err.contains("to-stderr"), err.toString());
        assertEquals("built\n", Files.readString(build.resolve("out.txt")));
        assertFalse(Files.exists(Path.of("/usr/slipway-should-fail")));
        assertEquals(1000, (Integer) Files.getAttribute(build.resolve("out.txt"), "unix:uid"));
    }

    @Test
    void aProcessGoingOverTheMemoryLimitIsKilled() throws IOException {
        RuncRunner.Outcome outcome = run(
                "python3 -c 'b = bytearray(b\"x\") * (300 * 1024 * 1024); print(\"allocated\")'",
                64L << 20, Duration.ofSeconds(60), buildDir());
        assertNotEquals(0, outcome.exitCode());
        assertFalse(out.contains("allocated"), out.toString());
        assertEquals(137, outcome.exitCode(), "killed by the OOM killer: " + err);
    }

    @Test
    void theProcessLimitStopsForkBombs() throws IOException {
        RuncRunner.Outcome outcome = run("""
                python3 -c '
                import subprocess
                started = []
                try:
                    for i in range(100):
                        started.append(subprocess.Popen(["sleep", "30"]))
                    print("started all")
                except OSError:
                    print("refused after", len(started))
                '
                """, 256L << 20, 16, Duration.ofSeconds(60), buildDir());
        assertEquals(0, outcome.exitCode(), err.toString());
        assertEquals(1, out.size(), out.toString());
        assertTrue(out.get(0).startsWith("refused after "), out.toString());
        assertTrue(Integer.parseInt(out.get(0).substring("refused after ".length())) < 16, out.toString());
    }

    @Test
    void aContainerOverItsTimeIsKilled() throws IOException {
        long start = System.nanoTime();
        RuncRunner.Outcome outcome = run("echo started; sleep 1000", 256L << 20, Duration.ofSeconds(2), buildDir());
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertTrue(outcome.timedOut());
        assertEquals(List.of("started"), out);
        assertTrue(seconds < 30, "killed promptly, took " + seconds + " s");
    }

    @Test
    void cancellingKillsTheRunningContainer() throws Exception {
        Cancellation cancellation = new Cancellation();
        ContainerSpec spec = new ContainerSpec("slipway-test-cancel-" + ProcessHandle.current().pid(),
                List.of("/bin/sh", "-c", "echo started; sleep 1000"), Map.of("PATH", "/usr/bin:/bin"), "/",
                Path.of("/"), List.of(), 64L << 20, 64, 1000, 1000);
        RuncRunner runner = new RuncRunner("runc", tmp.resolve("runc"));
        Thread canceller = new Thread(() -> {
            try {
                for (int i = 0; i < 1500 && !out.contains("started"); i++) Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
            cancellation.cancel("lease lost");
        });
        canceller.start();
        RuncRunner.Outcome outcome = runner.run(spec, tmp.resolve("b"), Duration.ofSeconds(120), out::add, err::add,
                cancellation);
        assertTrue(outcome.cancelled());
        assertFalse(outcome.succeeded());
    }
}
