package io.slipway.launcher.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing a root file system tar as a one-layer OCI image: what every digest says is true, and bad tars refused. */
class RootfsImageTest {
    @TempDir
    Path tmp;

    @Test
    void everyDigestIsTheSha256OfItsBlobAndTheConfigNamesTheUncompressedLayer() throws Exception {
        Path tar = tar("rootfs.tar", Map.of("./bin/hello", "#!/bin/sh\necho hi\n", "./etc/os-release", "ID=debian\n"));
        RootfsImage.Packed p = RootfsImage.pack(tar, tmp.resolve("out"), List.of("PATH=/usr/bin"), "1000:1000");

        byte[] layer = Files.readAllBytes(p.layer().file());
        assertEquals(sha256(layer), p.layer().digest());
        assertEquals(layer.length, p.layer().size());
        assertEquals(ImageLayer.GZIP_LAYER, p.layer().mediaType());
        byte[] unpacked;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p.layer().file()))) {
            unpacked = in.readAllBytes();
        }
        assertArrayEquals(Files.readAllBytes(tar), unpacked, "the layer is the operator's tar, gzipped");

        assertEquals(sha256(p.config().bytes()), p.config().digest());
        Map<String, Object> config = Json.parseObject(new String(p.config().bytes(), StandardCharsets.UTF_8));
        assertEquals(List.of(sha256(unpacked)), Json.object(config.get("rootfs")).get("diff_ids"));
        assertEquals("1000:1000", Json.object(config.get("config")).get("User"));
        assertEquals(List.of("PATH=/usr/bin"), Json.object(config.get("config")).get("Env"));

        Map<String, Object> manifest = Json.parseObject(new String(p.manifest().bytes(), StandardCharsets.UTF_8));
        assertEquals(p.config().digest(), Json.object(manifest.get("config")).get("digest"));
        assertEquals(p.layer().digest(), Json.object(Json.array(manifest.get("layers")).get(0)).get("digest"));
        assertEquals(sha256(p.manifest().bytes()), p.ref().manifestDigest());
        assertEquals("1000:1000", p.ref().config().user());
    }

    @Test
    void packingTheSameTarTwiceGivesTheSameDigestsAndACachedPackReadsBackTheSame() throws Exception {
        Path tar = tar("rootfs.tar", Map.of("./a", "a"));
        RootfsImage.Packed one = RootfsImage.pack(tar, tmp.resolve("one"), List.of(), null);
        RootfsImage.Packed two = RootfsImage.pack(tar, tmp.resolve("two"), List.of(), null);
        assertEquals(one.ref(), two.ref());
        RootfsImage.Packed loaded = RootfsImage.load(tmp.resolve("one"));
        assertEquals(one.ref(), loaded.ref());
        assertNull(loaded.ref().config().user(), "a base image without --user runs as root (only builds refuse root)");
    }

    @Test
    void aGzippedTarIsAcceptedAsTheSameImage() throws Exception {
        Path tar = tar("rootfs.tar", Map.of("./a", "a"));
        Path gz = tmp.resolve("rootfs.tar.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(tar, out);
        }
        assertEquals(RootfsImage.pack(tar, tmp.resolve("p1"), List.of(), null).ref(),
                RootfsImage.pack(gz, tmp.resolve("p2"), List.of(), null).ref());
    }

    @Test
    void aFileThatIsNotATarIsRefusedClearly() throws Exception {
        Path notTar = tmp.resolve("notes.txt");
        Files.writeString(notTar, "this is not a tar archive, just some text that is long enough ".repeat(20));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RootfsImage.pack(notTar, tmp.resolve("out"), List.of(), null));
        assertTrue(e.getMessage().contains("is not a tar archive"), e.getMessage());
    }

    @Test
    void anEmptyTarAndOneNamingDotDotAreRefused() throws Exception {
        Path empty = tar("empty.tar", Map.of());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RootfsImage.pack(empty, tmp.resolve("o1"), List.of(), null))
                .getMessage().contains("no entries"));
        Path escape = tar("escape.tar", Map.of("./etc/../../outside", "x"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RootfsImage.pack(escape, tmp.resolve("o2"), List.of(), null))
                .getMessage().contains("outside its root"));
    }

    @Test
    void aDeviceFileIsRefusedAtImportNotWhenADynoStarts() throws Exception {
        Path tar = tmp.resolve("with-dev.tar");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            TarArchiveEntry dev = new TarArchiveEntry("./dev/console", org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR);
            dev.setDevMajor(5);
            dev.setDevMinor(1);
            out.putArchiveEntry(dev);
            out.closeArchiveEntry();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RootfsImage.pack(tar, tmp.resolve("out"), List.of(), null));
        assertTrue(e.getMessage().contains("device file or FIFO ./dev/console"), e.getMessage());
    }

    @Test
    void namesAndTagsAreCheckedAndTheTagDefaultsToLatest() {
        assertEquals("heroku-24:latest", ImageImport.canonical("heroku-24"));
        assertEquals("my.base_1:v2.0", ImageImport.canonical("my.base_1:v2.0"));
        assertThrows(IllegalArgumentException.class, () -> ImageImport.canonical("Heroku"));
        assertThrows(IllegalArgumentException.class, () -> ImageImport.canonical("x:-bad"));
        assertThrows(IllegalArgumentException.class, () -> ImageImport.canonical("../etc"));
    }

    private Path tar(String name, Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (var f : new java.util.TreeMap<>(files).entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                out.putArchiveEntry(e);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        Path p = tmp.resolve(name);
        Files.write(p, bytes.toByteArray());
        return p;
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
