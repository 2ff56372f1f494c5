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
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile archives: each must be refused with nothing written outside the target. The target sits next to a
 * canary directory; every attack aims at the canary (or at the host's own files) and the canary must stay as it
 * was.
 */
class SafeUntarAttackTest {
    private static final ExtractionPolicy POLICY = ExtractionPolicy.limitedTo(1 << 20);

    @TempDir Path tmp;
    Path target;
    Path canary;

    @BeforeEach
    void layout() throws IOException {
        target = Files.createDirectories(tmp.resolve("dyno/slug"));
        canary = Files.createDirectories(tmp.resolve("canary"));
        Files.writeString(canary.resolve("secret"), "platform secret");
    }

    private SafeUntar.UnsafeArchiveException refused(EvilTar archive) throws IOException {
        byte[] bytes = archive.bytes();
        SafeUntar.UnsafeArchiveException e = assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> SafeUntar.extract(new ByteArrayInputStream(bytes), target, POLICY));
        assertCanaryUntouched();
        return e;
    }

    private void assertCanaryUntouched() throws IOException {
        try (Stream<Path> all = Files.walk(canary)) {
            assertEquals(List.of(canary, canary.resolve("secret")), all.sorted().toList());
        }
        assertEquals("platform secret", Files.readString(canary.resolve("secret")));
        assertFalse(Files.exists(tmp.resolve("dyno/pwned"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tmp.resolve("pwned"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aChainOfHarmlessLookingSymlinksCannotCarryAWriteOutside() throws IOException {
        // each link looks inside the archive when read as text; on disk b is the target's parent, c its grandparent
        EvilTar archive = new EvilTar().symlink("a", ".").symlink("b", "a/..").symlink("c", "b/..")
                .file("c/canary/pwned", "x");
        SafeUntar.UnsafeArchiveException e = refused(archive);
        assertTrue(e.getMessage().contains("symlink"), e.getMessage());
        // the links themselves are kept as links and pointed nowhere the extractor went
        assertTrue(Files.isSymbolicLink(target.resolve("c")));
    }

    @Test
    void aChainEndingAtTheHostRootCannotBecomeTheApp() throws IOException {
        EvilTar archive = new EvilTar().symlink("a", ".").symlink("b", "a/..").symlink("c", "b/..")
                .symlink("d", "c/..").file("d/" + tmp.getFileName() + "/canary/pwned", "x");
        refused(archive);
    }

    @Test
    void aDirectoryAlreadyUsedCannotBeSwappedForALink() throws IOException {
        SafeUntar.UnsafeArchiveException e = refused(new EvilTar().dir("d").file("d/x", "1")
                .symlink("d", canary.toString()).file("d/pwned", "x"));
        assertTrue(e.getMessage().contains("replace a directory"), e.getMessage());
        refused(new EvilTar().file("d/x", "1").hardLink("d", "d/x").file("d/pwned", "x"));
    }

    @Test
    void theClassicLinkToRootThenAFileThroughIt() throws IOException {
        refused(new EvilTar().symlink("link", "/").file("link" + canary + "/pwned", "x"));
        refused(new EvilTar().symlink("out", canary.toString()).file("out/pwned", "x"));
        refused(new EvilTar().symlink("out", canary.toString()).dir("out/sub"));
    }

    @Test
    void aFileEntryNeverWritesThroughAnExistingLink() throws IOException {
        // the entry replaces the link (as GNU tar does); the file the link pointed at stays as it was
        byte[] bytes = new EvilTar().symlink("secret", canary.resolve("secret").toString())
                .file("secret", "overwritten").bytes();
        SafeUntar.extract(new ByteArrayInputStream(bytes), target, POLICY);
        assertFalse(Files.isSymbolicLink(target.resolve("secret")));
        assertEquals("overwritten", Files.readString(target.resolve("secret")));
        assertCanaryUntouched();
    }

    @Test
    void hardLinksToHostFilesAreRefused() throws IOException {
        refused(new EvilTar().hardLink("shadow", "/etc/shadow"));
        refused(new EvilTar().hardLink("shadow", "../canary/secret"));
        refused(new EvilTar().hardLink("secret", canary.resolve("secret").toString()));
        refused(new EvilTar().symlink("etc", canary.toString()).hardLink("stolen", "etc/secret"));
        assertFalse(Files.exists(target.resolve("stolen"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(target.resolve("shadow"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aHardLinkToALaterOrReplacedSymlinkIsRefused() throws IOException {
        refused(new EvilTar().hardLink("h", "s").symlink("s", canary.resolve("secret").toString()));
        refused(new EvilTar().file("f", "mine").symlink("f", canary.resolve("secret").toString()).hardLink("h", "f"));
        refused(new EvilTar().symlink("s", canary.resolve("secret").toString()).hardLink("h", "s"));
    }

    @Test
    void devicesAndFifosAreRefused() throws IOException {
        assertTrue(refused(new EvilTar().special("null", TarConstants.LF_CHR)).getMessage().contains("device"));
        refused(new EvilTar().special("sda", TarConstants.LF_BLK));
        assertTrue(refused(new EvilTar().special("pipe", TarConstants.LF_FIFO)).getMessage().contains("FIFO"));
        assertFalse(Files.exists(target.resolve("null"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(target.resolve("pipe"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void dotDotAndAbsoluteNamesAreRefused() throws IOException {
        refused(new EvilTar().file("../pwned", "x"));
        refused(new EvilTar().file("./app/../../pwned", "x"));
        refused(new EvilTar().file(canary.resolve("pwned").toString(), "x"));
        refused(new EvilTar().dir("../../pwned"));
        refused(new EvilTar().symlink("../pwned", "/"));
    }

    @Test
    void aHugeDeclaredSizeIsRefusedBeforeAnythingIsWritten() throws IOException {
        byte[] bytes = EvilTar.declaringSize("big", 077777777777L);
        SafeUntar.UnsafeArchiveException e = assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> SafeUntar.extract(new ByteArrayInputStream(bytes), target, POLICY));
        assertTrue(e.getMessage().contains("more than " + (1 << 20) + " bytes"), e.getMessage());
        assertFalse(Files.exists(target.resolve("big")));
    }

    @Test
    void theTotalSizeIsCapped() throws IOException {
        byte[] bytes = new EvilTar().file("a", "x".repeat(600)).file("b", "y".repeat(600)).bytes();
        assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> SafeUntar.extract(new ByteArrayInputStream(bytes), target, ExtractionPolicy.limitedTo(1000)));
    }

    @Test
    void tooManyEntriesAreRefused() throws IOException {
        EvilTar archive = new EvilTar();
        for (int i = 0; i < 11; i++) archive.file("f" + i, "");
        byte[] bytes = archive.bytes();
        SafeUntar.UnsafeArchiveException e = assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> SafeUntar.extract(new ByteArrayInputStream(bytes), target, POLICY.withMaxEntries(10)));
        assertTrue(e.getMessage().contains("more than 10 entries"), e.getMessage());
    }

    @Test
    void aRealTarThroughALinkAndAFifoAreRefused() throws Exception {
        // GNU tar itself, not our writer: it stores "out/secret" read through the link it also stores
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createSymbolicLink(src.resolve("out"), canary);
        Path archive = tmp.resolve("real.tgz");
        run(src, "tar", "-czf", archive.toString(), "out", "out/secret");
        SafeUntar.UnsafeArchiveException e = assertThrows(SafeUntar.UnsafeArchiveException.class,
                () -> SafeUntar.extract(archive, target, POLICY));
        assertTrue(e.getMessage().contains("out/secret"), e.getMessage());
        assertCanaryUntouched();

        Path fifoSrc = Files.createDirectories(tmp.resolve("fifo"));
        run(fifoSrc, "mkfifo", "pipe");
        Path fifoArchive = tmp.resolve("fifo.tgz");
        run(fifoSrc, "tar", "-czf", fifoArchive.toString(), "pipe");
        Path other = tmp.resolve("other");
        assertThrows(SafeUntar.UnsafeArchiveException.class, () -> SafeUntar.extract(fifoArchive, other, POLICY));
        assertFalse(Files.exists(other.resolve("pipe"), LinkOption.NOFOLLOW_LINKS));
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }
}
