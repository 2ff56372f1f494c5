package io.slipway.gitgateway.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-only tar writer and reader, checked against each other and against GNU tar. */
class TarTest {
    @TempDir
    Path dir;

    private static final String LONG = "a/" + "very-long-directory-name/".repeat(8) + "file.txt";
    private static final String UNICODE = "données/café ☕.txt";

    private byte[] sample() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            tar.directory("a", 0755, 1_700_000_000L);
            file(tar, "a/small.txt", 0644, "hello\n");
            file(tar, LONG, 0644, "long\n");
            file(tar, UNICODE, 0644, "unicode\n");
            file(tar, "bin/run", 0755, "#!/bin/sh\n");
            file(tar, "empty", 0644, "");
            byte[] big = new byte[512 * 3 + 7];
            for (int i = 0; i < big.length; i++) big[i] = (byte) i;
            tar.file("big.bin", 0644, big.length, 0, new ByteArrayInputStream(big));
            tar.symlink("link", "a/small.txt", 0);
        }
        return bytes.toByteArray();
    }

    private static void file(TarWriter tar, String path, int mode, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        tar.file(path, mode, b.length, 1_700_000_000L, new ByteArrayInputStream(b));
    }

    @Test
    void roundTripsThroughItsOwnReader() throws IOException {
        Path out = dir.resolve("out");
        int files = TarReader.extract(new ByteArrayInputStream(sample()), out);
        assertThat(files).isEqualTo(6);
        assertThat(Files.readString(out.resolve("a/small.txt"))).isEqualTo("hello\n");
        assertThat(Files.readString(out.resolve(LONG))).isEqualTo("long\n");
        assertThat(Files.readString(out.resolve(UNICODE))).isEqualTo("unicode\n");
        assertThat(Files.size(out.resolve("big.bin"))).isEqualTo(512 * 3 + 7);
        assertThat(out.resolve("empty")).isEmptyFile();
        assertThat(out.resolve("link")).doesNotExist(); // links are not restored
    }

    @Test
    void gnuTarReadsWhatItWrites() throws Exception {
        Path archive = dir.resolve("sample.tar");
        Files.write(archive, sample());
        Process p = new ProcessBuilder("tar", "tvf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains(LONG, UNICODE, "link -> a/small.txt").doesNotContain("PaxHeaders");
        assertThat(listing.lines().filter(l -> l.endsWith("bin/run")).findFirst().orElseThrow()).startsWith("-rwxr-xr-x");
    }

    @Test
    void readsWhatGnuTarWrites() throws Exception {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve(LONG).getParent());
        Files.writeString(src.resolve(LONG), "gnu\n");
        Files.writeString(src.resolve("plain.txt"), "plain\n");
        for (String format : List.of("gnu", "pax", "ustar")) {
            Path archive = dir.resolve(format + ".tar");
            List<String> files = format.equals("ustar") ? List.of("plain.txt") : List.of("plain.txt", LONG);
            List<String> cmd = new java.util.ArrayList<>(List.of("tar", "--format=" + format, "-cf", archive.toString(), "-C", src.toString()));
            cmd.addAll(files);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            assertThat(p.waitFor()).isZero();
            Path out = dir.resolve("from-" + format);
            TarReader.extract(Files.newInputStream(archive), out);
            assertThat(Files.readString(out.resolve("plain.txt"))).isEqualTo("plain\n");
            if (!format.equals("ustar")) assertThat(Files.readString(out.resolve(LONG))).isEqualTo("gnu\n");
        }
    }

    @Test
    void refusesPathsOutsideTheTarget() throws IOException {
        for (String evil : List.of("../escape.txt", "/etc/evil", "a/../../escape.txt")) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (TarWriter tar = new TarWriter(bytes)) {
                file(tar, evil, 0644, "x");
            }
            assertThatThrownBy(() -> TarReader.extract(new ByteArrayInputStream(bytes.toByteArray()), dir.resolve("t")))
                    .as(evil).isInstanceOf(IOException.class).hasMessageContaining("refusing");
        }
        assertThat(dir.resolve("escape.txt")).doesNotExist();
    }

    @Test
    void refusesGarbageAndTruncatedArchives() throws IOException {
        byte[] shortHeader = new byte[100];
        java.util.Arrays.fill(shortHeader, (byte) 'a');
        assertThatThrownBy(() -> TarReader.extract(new ByteArrayInputStream(shortHeader), dir.resolve("g")))
                .isInstanceOf(IOException.class).hasMessageContaining("truncated");
        byte[] junk = new byte[512];
        java.util.Arrays.fill(junk, (byte) 'x');
        assertThatThrownBy(() -> TarReader.extract(new ByteArrayInputStream(junk), dir.resolve("j")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a tar archive");
        byte[] whole = sample();
        byte[] cut = java.util.Arrays.copyOf(whole, 512 * 4 + 100);
        assertThatThrownBy(() -> TarReader.extract(new ByteArrayInputStream(cut), dir.resolve("c")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void paxRecordLengthsCountThemselves() {
        assertThat(TarWriter.paxRecord("path", "x")).isEqualTo("9 path=x\n");
        String r = TarWriter.paxRecord("path", "y".repeat(91));
        assertThat(r).startsWith("101 ").hasSize(101);
        String r2 = TarWriter.paxRecord("path", "y".repeat(90));
        assertThat(r2).startsWith("99 ").hasSize(99);
    }
}
