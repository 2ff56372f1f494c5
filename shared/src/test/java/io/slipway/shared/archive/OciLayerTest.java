package io.slipway.shared.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI layers applied one on another: whiteouts, opaque directories, type changes, owners, and the escapes. */
class OciLayerTest {
    private static final ExtractionPolicy POLICY = ExtractionPolicy.limitedTo(64L << 20);

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsRoot() throws IOException {
        // layers keep their archive's owners (root's files stay root's): only root may chown
        Assumptions.assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
                "applying image layers keeps the archive's owners, which needs root");
    }

    private Path layer(String name, EvilTar tar) throws IOException {
        return tar.writeTo(tmp.resolve(name));
    }

    @Test
    void aWhiteoutDeletesALowerFileAndAnOpaqueDirectoryHidesLowerEntries() throws Exception {
        Path root = tmp.resolve("root");
        OciLayer.apply(layer("l1", new EvilTar().dir("etc").file("etc/lower.txt", "lower").file("etc/kept", "k")
                .dir("data").file("data/a", "a").dir("data/sub").file("data/sub/b", "b")), true, root, POLICY);
        OciLayer.apply(layer("l2", new EvilTar().file("etc/.wh.lower.txt", "").file("data/c", "c")
                .file("data/.wh..wh..opq", "")), true, root, POLICY);
        assertFalse(Files.exists(root.resolve("etc/lower.txt"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isRegularFile(root.resolve("etc/kept")));
        assertEquals(List.of("c"), names(root.resolve("data")), "the opaque directory hides a and sub, keeps c");
        assertFalse(Files.exists(root.resolve("etc/.wh.lower.txt")), "whiteouts are not files of the root");
    }

    @Test
    void aWhiteoutOnlyActsOnLowerLayersNotOnItsOwn() throws Exception {
        Path root = tmp.resolve("root");
        OciLayer.apply(layer("l1", new EvilTar().file("x", "old")), true, root, POLICY);
        // the layer holds x anew and a whiteout of x: the new x stays (OCI: whiteouts hide lower entries only)
        OciLayer.apply(layer("l2", new EvilTar().file("x", "new").file(".wh.x", "")), true, root, POLICY);
        assertEquals("new", Files.readString(root.resolve("x")));
    }

    @Test
    void anUpperLayerChangesAnEntrysTypeAndFilesKeepTheirOwners() throws Exception {
        Path root = tmp.resolve("root");
        OciLayer.apply(layer("l1", new EvilTar().dir("d").file("d/inner", "i").file("f", "file")
                .symlink("bin", "usr/bin")), true, root, POLICY);
        EvilTar upper = new EvilTar().file("d", "now a file").dir("f").dir("bin");
        OciLayer.apply(layer("l2", upper), true, root, POLICY);
        assertTrue(Files.isRegularFile(root.resolve("d"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(root.resolve("f"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(root.resolve("bin"), LinkOption.NOFOLLOW_LINKS));

        Path owned = layerOwnedBy(1000, 1001);
        OciLayer.apply(owned, false, root, POLICY);
        assertEquals(1000, Files.getAttribute(root.resolve("app/server.js"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(1001, Files.getAttribute(root.resolve("app/server.js"), "unix:gid", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aLayerThatReplacesADirectoryWithALinkCannotWriteThroughIt() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path root = tmp.resolve("root");
        OciLayer.apply(layer("l1", new EvilTar().dir("etc").file("etc/passwd", "app:x:1000:1000::/:/bin/sh\n")),
                true, root, POLICY);
        // in one layer: the directory becomes a link out of the root, then an entry goes through it
        EvilTar same = new EvilTar().symlink("etc", outside.toString()).file("etc/passwd", "pwned");
        assertThrows(SafeUntar.UnsafeArchiveException.class, () -> OciLayer.apply(layer("l2", same), true, root, POLICY));
        // across layers: the link comes in one layer, the write in the next
        Path root2 = tmp.resolve("root2");
        OciLayer.apply(layer("l3", new EvilTar().symlink("etc", outside.toString())), true, root2, POLICY);
        assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> OciLayer.apply(layer("l4", new EvilTar().file("etc/passwd", "pwned")), true, root2, POLICY));
        // a whiteout through the link deletes nothing outside either
        Files.writeString(outside.resolve("victim"), "keep");
        OciLayer.apply(layer("l5", new EvilTar().file("etc/.wh.victim", "").file("etc2/.wh..wh..opq", "")), true,
                root2, POLICY);
        assertEquals(List.of("victim"), names(outside), "nothing landed in or vanished from outside the root");
    }

    @Test
    void dotDotAndAbsoluteEntriesAndDevicesAreRefused() throws Exception {
        Path root = tmp.resolve("root");
        assertThrows(SafeUntar.UnsafeArchiveException.class, () -> OciLayer.apply(
                layer("a", new EvilTar().file("../escaped", "x")), true, root, POLICY));
        assertThrows(SafeUntar.UnsafeArchiveException.class, () -> OciLayer.apply(
                layer("b", new EvilTar().file("ok/../../escaped", "x")), true, root, POLICY));
        assertThrows(SafeUntar.UnsafeArchiveException.class, () -> OciLayer.apply(
                layer("c", new EvilTar().file(".wh...", "")), true, root, POLICY));
        assertThrows(SafeUntar.UnsafeArchiveException.class, () -> OciLayer.apply(
                layer("d", new EvilTar().special("dev/sda", TarConstants.LF_BLK)), true, root, POLICY));
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void setuidBitsAreDropped() throws Exception {
        Path root = tmp.resolve("root");
        OciLayer.apply(layer("l", new EvilTar().file("bin/su", "#!", 04755)), true, root, POLICY);
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("bin/su"))));
    }

    /** A plain (not gzipped) layer with one file owned by {@code uid:gid}. */
    private Path layerOwnedBy(int uid, int gid) throws IOException {
        Path file = tmp.resolve("owned.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
            TarArchiveEntry dir = new TarArchiveEntry("app/", TarConstants.LF_DIR, true);
            dir.setIds(uid, gid);
            tar.putArchiveEntry(dir);
            tar.closeArchiveEntry();
            TarArchiveEntry e = new TarArchiveEntry("app/server.js", TarConstants.LF_NORMAL, true);
            e.setIds(uid, gid);
            e.setSize(2);
            tar.putArchiveEntry(e);
            tar.write("//".getBytes());
            tar.closeArchiveEntry();
        }
        return file;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
