package io.slipway.dynoagent.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.dynoagent.config.SandboxSettings;
import io.slipway.shared.net.LocalPorts;
import io.slipway.shared.sandbox.SizedDisk;
import io.slipway.shared.testing.ScratchDirs;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Volumes in real runc containers (issue 11): a file written by one dyno is there for the next, the volume
 * stops at its size, another app's dyno has no such directory, and a link the app planted at the mount path
 * cannot lead the mount onto the host. A clean stop leaves no mount and no loop device behind, except for a
 * volume a dyno still runs on.
 */
class RuncVolumesTest {
    private static final String APP = "volume-app";
    // not @TempDir: JUnit deletes through a mount a failed close left (a slug, a volume) and fails the test
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-runc-volumes");
    private RuncDynoDriver driver;
    private final List<RunningDyno> started = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();

    @BeforeAll
    static void needsRunc() {
        Assumptions.assumeTrue(Drivers.sandboxProblem("runc") == null, "runc tests need root, runc, ip and nft");
    }

    @AfterEach
    void cleanUp() {
        for (RunningDyno d : started) d.cleanup();
        if (driver != null) {
            for (String v : volumes) driver.deleteVolume(v);
            driver.close();
        }
    }

    private RuncDynoDriver driver() {
        if (driver == null) {
            driver = new RuncDynoDriver("runc", tmp.resolve("agent"), Path.of("/"),
                    "vol-" + UUID.randomUUID().toString().substring(0, 8), SandboxSettings.defaults());
        }
        return driver;
    }

    private Path newVolume(String appId, long bytes) throws IOException {
        String id = UUID.randomUUID().toString();
        volumes.add(id);
        return driver().mountVolume(id, bytes, driver().uidFor(appId));
    }

    private Path appDir(String appId) throws IOException {
        Path app = Files.createTempDirectory(tmp, "app");
        int uid = driver().uidFor(appId);
        Files.setAttribute(app, "unix:uid", uid);
        Files.setAttribute(app, "unix:gid", uid);
        return app;
    }

    /** Runs {@code command} to its end in a new dyno of {@code appId}; answers its output lines. */
    private List<String> run(String appId, Path app, String command, List<DynoSpec.VolumeMount> mounts)
            throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        int port = LocalPorts.freePort();
        DynoSpec spec = new DynoSpec("v" + Long.toHexString(System.nanoTime()), "worker.1", command, Map.of(), app,
                Files.createTempDirectory(tmp, "work"), port, 256L << 20, 128, driver().uidFor(appId), false,
                lines::add, null, mounts);
        RunningDyno dyno = driver().start(spec);
        started.add(dyno);
        Integer code = dyno.waitFor(Duration.ofSeconds(60));
        assertNotNull(code, "the dyno did not exit: " + lines);
        assertEquals(0, code, lines.toString());
        return lines;
    }

    @Test
    void aFileWrittenByOneDynoIsThereForTheNextUntilTheVolumeIsDeleted() throws Exception {
        Path volume = newVolume(APP, 32L << 20);
        String id = volumes.get(0);
        List<DynoSpec.VolumeMount> mounts = List.of(new DynoSpec.VolumeMount(volume, "/app/storage"));
        run(APP, appDir(APP), "echo kept > /app/storage/note && id -u > /app/storage/owner", mounts);
        assertEquals("kept\n", Files.readString(volume.resolve("note")));
        assertEquals(String.valueOf(driver().uidFor(APP)), Files.readString(volume.resolve("owner")).trim());

        // mounted again (another dyno, an agent restart's first use): the same data, not a fresh file system
        assertEquals(volume, driver().mountVolume(id, 32L << 20, driver().uidFor(APP)));
        List<String> next = run(APP, appDir(APP), "cat /app/storage/note; dd if=/dev/zero of=/app/storage/fill "
                + "bs=1M count=64 2>&1; echo dd=$?", mounts);
        assertTrue(next.contains("kept"), next.toString());
        assertTrue(next.stream().anyMatch(l -> l.contains("No space left on device")) && next.contains("dd=1"),
                next.toString());

        List<String> other = run("other-app", appDir("other-app"), "ls /app/storage 2>&1; echo done", List.of());
        assertTrue(other.stream().anyMatch(l -> l.contains("No such file or directory")), other.toString());

        assertTrue(driver().volumeIds().contains(id));
        driver().deleteVolume(id);
        assertFalse(Files.exists(volume), "the volume's directory is gone");
        assertFalse(Files.exists(volume.resolveSibling(id + ".img")), "the volume's image is gone");
        assertFalse(driver().volumeIds().contains(id));
    }

    @Test
    void aLinkAtTheMountPathStaysInsideTheContainer() throws Exception {
        Path volume = newVolume(APP, 16L << 20);
        Path app = appDir(APP);
        Path marker = Path.of("/etc", "slipway-volume-escape-" + UUID.randomUUID());
        Files.createSymbolicLink(app.resolve("storage"), Path.of("/etc"));
        List<DynoSpec.VolumeMount> mounts = List.of(new DynoSpec.VolumeMount(volume, "/app/storage"));
        RunningDyno dyno;
        List<String> lines = new CopyOnWriteArrayList<>();
        try (ServerSocket s = new ServerSocket(0)) {
            DynoSpec spec = new DynoSpec("v" + Long.toHexString(System.nanoTime()), "worker.1",
                    "touch /etc/" + marker.getFileName() + " /app/storage/" + marker.getFileName() + "; echo done",
                    Map.of(), app, Files.createTempDirectory(tmp, "work"), s.getLocalPort(), 256L << 20, 128,
                    driver().uidFor(APP), false, lines::add, null, mounts);
            try {
                dyno = driver().start(spec);
                started.add(dyno);
                dyno.waitFor(Duration.ofSeconds(60));
            } catch (IOException refused) {
                // runc refusing the mount is as good: nothing reached the host
            }
        }
        assertFalse(Files.exists(marker), "a dyno wrote the host's /etc through its volume's mount path: " + lines);
    }

    @Test
    void aCleanCloseUnmountsTheVolumesAndDetachesTheirLoopDevicesButKeepsTheirData() throws Exception {
        Path volume = newVolume(APP, 32L << 20);
        String id = volumes.get(0);
        Path image = volume.resolveSibling(id + ".img");
        run(APP, appDir(APP), "echo kept > /app/storage/note",
                List.of(new DynoSpec.VolumeMount(volume, "/app/storage")));
        assertTrue(SizedDisk.isMountPoint(volume));
        assertFalse(loopDevicesOf(image).isEmpty(), "mounted from a loop device");

        stopDynos(); // what the agent's close does before it closes its driver
        driver.close();
        assertFalse(SizedDisk.isMountPoint(volume), "the volume is still mounted after a clean close");
        assertDetached(image);
        assertTrue(Files.isRegularFile(image), "the volume's data is kept");

        driver = null; // the agent's next start
        assertEquals(volume, driver().mountVolume(id, 32L << 20, driver().uidFor(APP)));
        assertEquals("kept\n", Files.readString(volume.resolve("note")));
    }

    @Test
    void aVolumeADynoStillRunsOnStaysMountedWhenTheDriverCloses() throws Exception {
        Path used = newVolume(APP, 16L << 20);
        Path idle = newVolume(APP, 16L << 20);
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        RunningDyno dyno;
        try (ServerSocket s = new ServerSocket(0)) {
            dyno = driver().start(new DynoSpec("v" + Long.toHexString(System.nanoTime()), "worker.1",
                    "echo ready; while sleep 0.1; do date > /app/storage/tick; done", Map.of(), appDir(APP),
                    Files.createTempDirectory(tmp, "work"), s.getLocalPort(), 256L << 20, 128,
                    driver().uidFor(APP), false, line -> {
                        lines.add(line);
                        if (line.equals("ready")) ready.countDown();
                    }, null,
                    List.of(new DynoSpec.VolumeMount(used, "/app/storage"))));
        }
        started.add(dyno);
        assertTrue(ready.await(60, TimeUnit.SECONDS), lines.toString());

        driver.close();
        assertTrue(SizedDisk.isMountPoint(used), "a volume a running dyno writes to was unmounted under it");
        assertFalse(loopDevicesOf(used.resolveSibling(volumes.get(0) + ".img")).isEmpty());
        assertFalse(SizedDisk.isMountPoint(idle), "the volume no dyno uses stays mounted");
        assertDetached(idle.resolveSibling(volumes.get(1) + ".img"));
        assertNull(dyno.waitFor(Duration.ZERO), "the dyno still runs: " + lines);
    }

    @Test
    void aReleasedSlugDirLeavesNoLoopDevice() throws Exception {
        Path slug = tmp.resolve("agent/dynos/d1/app");
        Path image = slug.resolveSibling("app.img");
        driver().prepareSlugDir(slug, 16L << 20, driver().uidFor(APP));
        assertFalse(loopDevicesOf(image).isEmpty());
        driver().releaseSlugDir(slug);
        assertFalse(SizedDisk.isMountPoint(slug));
        assertDetached(image); // deleted: losetup -j cannot name it any more, losetup -a still would
    }

    private void stopDynos() {
        for (RunningDyno d : started) d.cleanup();
        started.clear();
    }

    /** The {@code losetup -a} lines of the loop devices {@code image} is attached to (also once deleted). */
    private static String loopDevicesOf(Path image) throws Exception {
        Process p = new ProcessBuilder("losetup", "-a").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> l.contains("(" + image + ")") || l.contains("(" + image + " (deleted))"))
                .reduce("", (a, b) -> a + b + "\n").trim();
    }

    /** Waits for the kernel's autoclear, which may detach the loop device just after the unmount returns. */
    private static void assertDetached(Path image) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String left = loopDevicesOf(image);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = loopDevicesOf(image);
        }
        assertEquals("", left, "the image is still attached to a loop device");
    }
}
