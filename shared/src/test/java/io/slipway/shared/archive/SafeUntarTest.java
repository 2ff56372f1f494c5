package io.slipway.shared.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What legitimate archives keep: files, modes (minus setuid), links as links, hard links, the git commit. */
class SafeUntarTest {
    @TempDir Path tmp;

    @Test
    void unpacksFilesDirectoriesAndLinksAsLinks() throws Exception {
        byte[] bytes = new EvilTar().dir("app").file("app/run.sh", "#!/bin/sh\n", 04755)
                .symlink("app/passwd", "/etc/passwd").symlink("app/up", "..").symlink("app/lib", "vendor/lib")
                .dir("app/vendor/lib").file("app/vendor/lib/x.js", "x").hardLink("app/same.sh", "app/run.sh").bytes();
        Path dest = tmp.resolve("out");
        SafeUntar.Result result = SafeUntar.extract(new ByteArrayInputStream(bytes), dest,
                ExtractionPolicy.limitedTo(1 << 20));
        assertEquals(8, result.entries());
        assertEquals("#!/bin/sh\n", Files.readString(dest.resolve("app/run.sh")));
        // setuid dropped, the rest kept
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("app/run.sh"))));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(dest.resolve("app/passwd")));
        assertEquals(Path.of(".."), Files.readSymbolicLink(dest.resolve("app/up")));
        assertEquals("#!/bin/sh\n", Files.readString(dest.resolve("app/same.sh")));
        assertEquals(Files.getAttribute(dest.resolve("app/run.sh"), "unix:ino"),
                Files.getAttribute(dest.resolve("app/same.sh"), "unix:ino"));
    }

    @Test
    void ownershipComesFromThePolicyNeverFromTheArchive() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        byte[] bytes = new EvilTar().dir("d").file("d/f", "x").symlink("d/l", "/").bytes();
        Path dest = tmp.resolve("owned");
        ExtractionPolicy policy = root ? ExtractionPolicy.limitedTo(100).ownedBy(1000, 1000)
                : ExtractionPolicy.limitedTo(100);
        SafeUntar.extract(new ByteArrayInputStream(bytes), dest, policy);
        if (root) {
            for (String p : new String[] {"d", "d/f", "d/l"}) {
                assertEquals(1000, Files.getAttribute(dest.resolve(p), "unix:uid", LinkOption.NOFOLLOW_LINKS), p);
            }
            assertEquals(0, Files.getAttribute(Path.of("/"), "unix:uid")); // the link's target was not chowned
        }
    }

    @Test
    void treeArchiveRoundTripKeepsLinksAsLinksAndNeverReadsThroughThem() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("Procfile"), "web: run\n");
        Files.createSymbolicLink(src.resolve("secret"), Path.of("/etc/passwd"));
        Files.createDirectories(src.resolve("sub"));
        Files.createSymbolicLink(src.resolve("sub/up"), Path.of(".."));
        Path archive = tmp.resolve("slug.tgz");
        TreeArchive.Written written = TreeArchive.write(src, "./app/", rel -> false, archive);
        assertTrue(written.checksum().startsWith("SHA256:"));
        assertEquals(SourceSha.of(archive), written.checksum());
        Path out = tmp.resolve("unpacked");
        SafeUntar.extract(archive, out, ExtractionPolicy.limitedTo(1 << 20));
        assertEquals("web: run\n", Files.readString(out.resolve("app/Procfile")));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(out.resolve("app/secret")));
        assertEquals(Path.of(".."), Files.readSymbolicLink(out.resolve("app/sub/up")));
        // GNU tar reads what we write
        Process p = new ProcessBuilder("tar", "-tzvf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), listing);
        assertTrue(listing.contains("./app/secret -> /etc/passwd"), listing);
    }

    @Test
    void notATarGzIsCorrupt() {
        assertThrows(SafeUntar.CorruptArchiveException.class, () -> SafeUntar.extract(
                new ByteArrayInputStream("hello".getBytes()), tmp.resolve("x"), ExtractionPolicy.limitedTo(100)));
        assertFalse(Files.exists(tmp.resolve("x/hello")));
    }

    /** SHA-256 of a file, as TreeArchive reports it. */
    static final class SourceSha {
        static String of(Path file) throws IOException {
            try {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                return "SHA256:" + java.util.HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
