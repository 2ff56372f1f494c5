package io.slipway.buildworker.archive;

import io.slipway.shared.archive.SafeUntar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.buildworker.support.TestApps;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeUntarTest {
    @TempDir Path tmp;

    private Path dest() throws IOException {
        return Files.createDirectories(tmp.resolve("dest"));
    }

    /** A tar.gz written by hand with Slipway's own writer, so any entry (even a malicious one) can be made. */
    private static byte[] archive(TarBuilder builder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(new GZIPOutputStream(bytes))) {
            builder.build(tar);
        }
        return bytes.toByteArray();
    }

    interface TarBuilder {
        void build(TarWriter tar) throws IOException;
    }

    private static Path file(Path dir, String content) throws IOException {
        Path f = Files.createTempFile(dir, "content", ".txt");
        Files.writeString(f, content);
        return f;
    }

    private SafeUntar.Result extract(byte[] tgz) throws IOException {
        return SafeUntar.extract(new ByteArrayInputStream(tgz), dest(), 1 << 20);
    }

    @Test
    void unpacksWhatGnuTarAndGitArchiveWrite() throws IOException {
        String longName = "deep/" + "d".repeat(90) + "/" + "f".repeat(90) + ".txt";
        Path app = TestApps.write(Files.createDirectories(tmp.resolve("app")), Map.of(
                "Procfile", "web: x\n", "bin/run", "#!/bin/sh\n", longName, "long\n"));
        Files.createSymbolicLink(app.resolve("link"), Path.of("Procfile"));
        SafeUntar.Result plain = extract(TestApps.tgz(app));
        Path dest = tmp.resolve("dest");
        assertEquals("web: x\n", Files.readString(dest.resolve("Procfile")));
        assertEquals("long\n", Files.readString(dest.resolve(longName)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("bin/run"))));
        assertEquals(Path.of("Procfile"), Files.readSymbolicLink(dest.resolve("link")));
        assertEquals(null, plain.globalComment());

        TestApps.GitSource git = TestApps.gitArchive(app);
        SafeUntar.Result fromGit = SafeUntar.extract(new ByteArrayInputStream(git.tgz()), tmp.resolve("git"), 1 << 20);
        assertEquals(git.commit(), fromGit.globalComment(), "git archive's pax comment carries the commit");
        assertEquals("long\n", Files.readString(tmp.resolve("git").resolve(longName)));
    }

    @Test
    void refusesDotDotAbsoluteAndEscapingLinks() throws IOException {
        Path content = file(tmp, "evil\n");
        assertRefused(tar -> tar.file("../evil", content, 0644, 0, 0, 0), "contains '..'");
        assertRefused(tar -> tar.file("./a/../../evil", content, 0644, 0, 0, 0), "contains '..'");
        assertRefused(tar -> tar.file("/etc/evil", content, 0644, 0, 0, 0), "absolute path");
        assertRefused(tar -> tar.symlink("etc", "/etc", 0, 0, 0), "absolute path");
        assertRefused(tar -> tar.symlink("up", "../..", 0, 0, 0), "outside the archive");
        assertRefused(tar -> tar.symlink("a/up", "../../x", 0, 0, 0), "outside the archive");
        assertFalse(Files.exists(tmp.resolve("evil")));
    }

    @Test
    void neverWritesThroughALinkThatLeavesTheDirectory() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dest = dest();
        // a link planted by an earlier archive (a restored cache, say) pointing outside
        Files.createSymbolicLink(dest.resolve("planted"), outside);
        Path content = file(tmp, "evil\n");
        IOException e = assertThrows(SafeUntar.UnsafeArchiveException.class, () -> SafeUntar.extract(
                new ByteArrayInputStream(archive(tar -> tar.file("planted/evil", content, 0644, 0, 0, 0))), dest, 1 << 20));
        assertTrue(e.getMessage().contains("link outside"), e.getMessage());
        assertFalse(Files.exists(outside.resolve("evil")));
        // a file entry over an existing link replaces the link instead of writing through it
        Files.writeString(outside.resolve("target.txt"), "untouched\n");
        Files.createSymbolicLink(dest.resolve("over"), outside.resolve("target.txt"));
        SafeUntar.extract(new ByteArrayInputStream(archive(tar -> tar.file("over", content, 0644, 0, 0, 0))), dest, 1 << 20);
        assertEquals("untouched\n", Files.readString(outside.resolve("target.txt")));
        assertEquals("evil\n", Files.readString(dest.resolve("over")));
        assertFalse(Files.isSymbolicLink(dest.resolve("over")));
    }

    @Test
    void dropsSetuidBitsAndEnforcesTheSizeLimit() throws IOException {
        Path content = file(tmp, "x".repeat(1000));
        extract(archive(tar -> tar.file("suid", content, 04755, 0, 0, 0)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve("dest/suid"))));
        byte[] big = archive(tar -> {
            tar.file("a", content, 0644, 0, 0, 0);
            tar.file("b", content, 0644, 0, 0, 0);
        });
        IOException e = assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> SafeUntar.extract(new ByteArrayInputStream(big), tmp.resolve("small"), 1500));
        assertTrue(e.getMessage().contains("more than 1500 bytes"));
    }

    @Test
    void reportsCorruptArchives() {
        assertThrows(SafeUntar.CorruptArchiveException.class,
                () -> extract("not gzip".getBytes(StandardCharsets.UTF_8)));
    }

    private void assertRefused(TarBuilder builder, String why) throws IOException {
        byte[] tgz = archive(builder);
        IOException e = assertThrows(SafeUntar.UnsafeArchiveException.class, () -> extract(tgz));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
