package io.slipway.api.appsetups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

/** Which entry is app.json, and the entries that must never be read as one. */
class AppJsonReaderTest {

    @Test
    void theRootFileWinsOverOneUnderTheTopDirectory() throws IOException {
        byte[] tgz = tar(out -> {
            file(out, "repo-main/app.json", "{\"nested\":true}");
            file(out, "app.json", "{\"root\":true}");
        });
        assertThat(AppJsonReader.read(new ByteArrayInputStream(tgz))).contains("{\"root\":true}");
    }

    @Test
    void onlyOneLevelDownIsLookedAt() throws IOException {
        assertThat(AppJsonReader.read(new ByteArrayInputStream(tar(out -> file(out, "repo/sub/app.json", "{}")))))
                .isEmpty();
        assertThat(AppJsonReader.read(new ByteArrayInputStream(tar(out -> file(out, "./repo/app.json", "{\"a\":1}")))))
                .contains("{\"a\":1}");
    }

    /** Attack: a hard link named app.json, pointing at a file outside the archive. */
    @Test
    void aHardLinkIsRefused() {
        byte[] tgz = tar(out -> {
            TarArchiveEntry e = new TarArchiveEntry("app.json", TarArchiveEntry.LF_LINK);
            e.setLinkName("/etc/shadow");
            out.putArchiveEntry(e);
            out.closeArchiveEntry();
        });
        assertThatThrownBy(() -> AppJsonReader.read(new ByteArrayInputStream(tgz)))
                .isInstanceOf(AppJsonReader.RefusedException.class).hasMessageContaining("regular file");
    }

    /** Attack: a directory (or device) under the name is not read either. */
    @Test
    void aDirectoryNamedAppJsonIsRefused() {
        byte[] tgz = tar(out -> {
            out.putArchiveEntry(new TarArchiveEntry("app.json/"));
            out.closeArchiveEntry();
        });
        assertThatThrownBy(() -> AppJsonReader.read(new ByteArrayInputStream(tgz)))
                .isInstanceOf(AppJsonReader.RefusedException.class);
    }

    @Test
    void notATarballIsRefused() {
        assertThatThrownBy(() -> AppJsonReader.read(new ByteArrayInputStream("plain text".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(AppJsonReader.RefusedException.class).hasMessageContaining("tar.gz");
    }

    private interface Body {
        void write(TarArchiveOutputStream out) throws IOException;
    }

    private static void file(TarArchiveOutputStream out, String name, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        out.putArchiveEntry(e);
        out.write(bytes);
        out.closeArchiveEntry();
    }

    private static byte[] tar(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            body.write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
