package io.slipway.shared.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tenant may leave in a test's data directory must not make its deletion reach outside it. */
class ScratchDirsTest {
    @TempDir
    Path outside;

    @Test
    void linksToOutsideAreRemovedNotFollowed() throws Exception {
        Path keep = Files.writeString(outside.resolve("keep.txt"), "not the test's");
        ScratchDirs scratch = new ScratchDirs();
        Path dir = scratch.create("slipway-scratch-test");
        Path slug = Files.createDirectories(dir.resolve("data/dynos/web.1/app"));
        Files.writeString(slug.resolve("server.sh"), "echo hi\n");
        Files.createSymbolicLink(slug.resolve("root"), outside); // a tenant's link to a directory outside
        Files.createSymbolicLink(slug.resolve("keep"), keep);

        scratch.deleteAll();

        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "the scratch directory is gone");
        assertTrue(Files.exists(keep), "what the link pointed at is untouched");
        assertEquals("not the test's", Files.readString(keep));
    }

    @Test
    void aMountPointStillMountedIsLeftNotDeletedThrough() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting needs root");
        Path keep = Files.writeString(outside.resolve("keep.txt"), "a volume's data");
        Path dir = Files.createTempDirectory("slipway-scratch-test");
        Path volume = Files.createDirectories(dir.resolve("data/volumes/v1"));
        Files.writeString(dir.resolve("data/log.txt"), "log\n");
        assumeTrue(run("mount", "--bind", outside.toString(), volume.toString()) == 0, "mount --bind not allowed here");
        try {
            List<String> left = ScratchDirs.delete(dir);

            assertTrue(Files.exists(keep), "nothing was deleted through the mount");
            assertTrue(Files.exists(volume), "the mount point stays");
            assertFalse(Files.exists(dir.resolve("data/log.txt")), "the rest is deleted");
            assertTrue(left.stream().anyMatch(l -> l.contains("still mounted")), left.toString());
        } finally {
            run("umount", volume.toString());
            ScratchDirs.delete(dir);
        }
        assertFalse(Files.exists(dir), "gone once unmounted");
    }

    @Test
    void keepDirsKeepsThemForAPostMortem() throws Exception {
        ScratchDirs scratch = new ScratchDirs();
        Path dir = scratch.create("slipway-scratch-test");
        System.setProperty(ScratchDirs.KEEP_PROPERTY, "true");
        try {
            scratch.deleteAll();
        } finally {
            System.clearProperty(ScratchDirs.KEEP_PROPERTY);
        }
        assertTrue(Files.isDirectory(dir));
        ScratchDirs.delete(dir);
        assertFalse(Files.exists(dir));
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
