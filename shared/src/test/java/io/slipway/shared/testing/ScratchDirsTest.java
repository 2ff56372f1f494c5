package io.slipway.shared.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a tenant may leave in a test's data directory must not make its deletion reach outside it. The delete itself
 * (mount points, races) is {@code io.slipway.shared.fs.TreeDelete}'s, attacked in {@code TreeDeleteTest}.
 */
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
}
