package io.slipway.shared.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the extractor against each other and against GNU tar (long, non-ASCII names, every format). */
class TarGzWriterTest {
    private static final String LONG = "a/" + "very-long-directory-name/".repeat(8) + "file.txt";
    private static final String UNICODE = "données/café ☕.txt";
    private static final ExtractionPolicy POLICY = ExtractionPolicy.limitedTo(1 << 20);
    @TempDir Path dir;

    private byte[] sample() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarGzWriter tar = new TarGzWriter(bytes)) {
            tar.directory("a", 0755, TarGzWriter.Owner.ROOT, 1_700_000_000L);
            file(tar, "a/small.txt", 0644, "hello\n");
            file(tar, LONG, 0644, "long\n");
            file(tar, UNICODE, 0644, "unicode\n");
            file(tar, "bin/run", 0755, "#!/bin/sh\n");
            file(tar, "empty", 0644, "");
            tar.symlink("link", "a/small.txt", TarGzWriter.Owner.ROOT, 0);
        }
        return bytes.toByteArray();
    }

    private static void file(TarGzWriter tar, String path, int mode, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        tar.file(path, mode, new TarGzWriter.Owner(1000, 1000), 1_700_000_000L, b.length, new ByteArrayInputStream(b));
    }

    @Test
    void roundTripsAndGnuTarReadsIt() throws Exception {
        Path out = dir.resolve("out");
        SafeUntar.Result result = SafeUntar.extract(new ByteArrayInputStream(sample()), out, POLICY);
        assertEquals(7, result.entries());
        assertEquals("hello\n", Files.readString(out.resolve("a/small.txt")));
        assertEquals("long\n", Files.readString(out.resolve(LONG)));
        assertEquals("unicode\n", Files.readString(out.resolve(UNICODE)));
        assertEquals(Path.of("a/small.txt"), Files.readSymbolicLink(out.resolve("link")));

        Path archive = Files.write(dir.resolve("sample.tgz"), sample());
        Process p = new ProcessBuilder("tar", "tvzf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), listing);
        assertTrue(listing.contains(LONG) && listing.contains(UNICODE) && listing.contains("link -> a/small.txt"), listing);
        assertTrue(listing.lines().filter(l -> l.endsWith("bin/run")).findFirst().orElseThrow().startsWith("-rwxr-xr-x"));
    }

    @Test
    void readsEveryFormatGnuTarWrites() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve(LONG).getParent());
        Files.writeString(src.resolve(LONG), "gnu\n");
        Files.writeString(src.resolve("plain.txt"), "plain\n");
        for (String format : List.of("gnu", "pax", "ustar", "v7")) {
            Path archive = dir.resolve(format + ".tar");
            boolean shortNames = format.equals("ustar") || format.equals("v7");
            List<String> cmd = new ArrayList<>(List.of("tar", "--format=" + format, "-cf", archive.toString(), "-C",
                    src.toString(), "plain.txt"));
            if (!shortNames) cmd.add(LONG);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertEquals(0, p.waitFor());
            Path out = dir.resolve("from-" + format);
            SafeUntar.extractTar(Files.newInputStream(archive), out, POLICY);
            assertEquals("plain\n", Files.readString(out.resolve("plain.txt")));
            if (!shortNames) assertEquals("gnu\n", Files.readString(out.resolve(LONG)));
        }
    }

    @Test
    void refusesGarbageAndTruncatedArchives() throws IOException {
        byte[] junk = new byte[512];
        java.util.Arrays.fill(junk, (byte) 'x');
        assertThrows(SafeUntar.CorruptArchiveException.class,
                () -> SafeUntar.extractTar(new ByteArrayInputStream(junk), dir.resolve("j"), POLICY));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPInputStream(new ByteArrayInputStream(sample()))) {
            gz.transferTo(plain);
        }
        byte[] cut = java.util.Arrays.copyOf(plain.toByteArray(), 512 * 4 + 100);
        assertThrows(IOException.class,
                () -> SafeUntar.extractTar(new ByteArrayInputStream(cut), dir.resolve("c"), POLICY));
    }

    @Test
    void aFileThatIsALinkIsNeverReadThrough() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/passwd"));
        try (TarGzWriter tar = new TarGzWriter(new ByteArrayOutputStream())) {
            assertThrows(IOException.class, () -> tar.file("x", link, 0644, TarGzWriter.Owner.ROOT));
        }
    }
}
