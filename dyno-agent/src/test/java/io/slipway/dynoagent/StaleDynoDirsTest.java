package io.slipway.dynoagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.ProcessDynoDriver;
import io.slipway.dynoagent.support.StubApiServer;
import io.slipway.dynoagent.support.TestAgents;
import io.slipway.shared.testing.ScratchDirs;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At its start the agent deletes what an earlier run left in {@code <data>/dynos}. A killed agent can leave a
 * volume still mounted below it, and a dyno's links to anywhere: the delete must neither wipe the volume's data
 * through the mount nor follow the links. The process driver unmounts nothing at start, so the mount is still
 * there when the delete runs (the runc driver unmounts first; this is what stands behind it).
 */
class StaleDynoDirsTest {
    @RegisterExtension
    static final ScratchDirs scratch = new ScratchDirs();
    final Path tmp = scratch.create("slipway-stale-dynos");
    final Path volumeData = scratch.create("slipway-stale-dynos-volume");
    StubApiServer api;
    DynoAgent agent;
    Path mounted;

    @AfterEach
    void tearDown() throws Exception {
        if (agent != null) agent.close();
        if (api != null) api.close();
        if (mounted != null) run("umount", mounted.toString());
    }

    @Test
    void aVolumeStillMountedBelowAStaleDynoKeepsItsDataAndLinksAreNotFollowed() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        api = new StubApiServer();
        AgentConfig config = TestAgents.config(api, tmp.resolve("data"));
        Path keep = Files.writeString(volumeData.resolve("db.sqlite"), "a tenant's volume data");
        Path stale = Files.createDirectories(config.dataDir().resolve("dynos/old-dyno"));
        Files.writeString(Files.createDirectories(stale.resolve("slug/app")).resolve("server.sh"), "echo hi\n");
        Files.createSymbolicLink(stale.resolve("slug/app/escape"), volumeData);
        Path volume = Files.createDirectories(stale.resolve("volumes/data"));
        assumeTrue(run("mount", "--bind", volumeData.toString(), volume.toString()) == 0, "mount --bind not allowed");
        mounted = volume;

        agent = new DynoAgent(config, new ProcessDynoDriver());
        agent.start();

        assertEquals("a tenant's volume data", Files.readString(keep), "nothing deleted through the mount or link");
        assertFalse(Files.exists(stale.resolve("slug"), LinkOption.NOFOLLOW_LINKS), "the stale slug is gone");
        assertTrue(Files.isDirectory(volume), "the mount point is left, still mounted");
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
