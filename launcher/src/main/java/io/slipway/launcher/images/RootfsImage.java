package io.slipway.launcher.images;

import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.json.Json;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A root file system tarball packed as a one-layer OCI image: the layer (the tar gzipped, as the OCI
 * {@code tar+gzip} media type), the OCI config (with the layer's {@code diff_id}) and the manifest, all
 * content-addressed. The tar is the operator's, so it is trusted, but it is still read through first: a file
 * that is not a tar, or has no entries, names {@code ..} or holds a device file, is refused before anything is uploaded. The output
 * is deterministic (gzip without a timestamp, JSON in a fixed order), so importing the same tar again yields the
 * same digests and uploads nothing.
 */
public final class RootfsImage {
    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER_FILE = "layer.tar.gz";
    private static final String CONFIG_FILE = "config.json";
    private static final String MANIFEST_FILE = "manifest.json";

    /** A blob written to {@code file} (the layer) or held in memory (config, manifest). */
    public record Blob(String digest, long size, String mediaType, Path file, byte[] bytes) {}

    /** The packed image: its blobs (layer, config, manifest) and the platform's view of it. */
    public record Packed(Blob layer, Blob config, Blob manifest, ImageRef ref) {
        public List<Blob> blobs() {
            return List.of(layer, config, manifest);
        }
    }

    private RootfsImage() {}

    /**
     * Packs {@code tar} (plain or gzip-compressed) into {@code workDir}; {@code env} and {@code user} become the
     * image config's {@code Env} and {@code User} (null: none, i.e. root, as base images are).
     */
    public static Packed pack(Path tar, Path workDir, List<String> env, String user) throws IOException {
        if (!Files.isRegularFile(tar)) throw new IllegalArgumentException(tar + " is not a file.");
        long entries = validate(tar);
        if (entries == 0) throw new IllegalArgumentException(tar + " is a tar with no entries: nothing to import.");
        Files.createDirectories(workDir);
        Path layerFile = workDir.resolve(LAYER_FILE);
        MessageDigest diff = sha256();
        MessageDigest compressed = sha256();
        GzipParameters gzip = new GzipParameters();
        gzip.setCompressionLevel(6);
        try (InputStream in = new DigestInputStream(uncompressed(tar), diff);
             OutputStream file = Files.newOutputStream(layerFile);
             OutputStream out = new GzipCompressorOutputStream(new DigestOutputStream(file, compressed), gzip)) {
            in.transferTo(out);
        }
        Blob layer = new Blob(digest(compressed), Files.size(layerFile), ImageLayer.GZIP_LAYER, layerFile, null);
        String diffId = digest(diff);

        ImageConfig config = new ImageConfig(user, env, null, null, List.of("/bin/bash"));
        Blob configBlob = json(ociConfig(config, diffId), CONFIG_TYPE, workDir.resolve(CONFIG_FILE));
        Blob manifest = json(manifest(configBlob, layer), MANIFEST_TYPE, workDir.resolve(MANIFEST_FILE));
        return packed(layer, configBlob, manifest, config);
    }

    /** An image {@link #pack} wrote to {@code dir} earlier (the cached default base image), read back. */
    public static Packed load(Path dir) throws IOException {
        Blob configBlob = readJson(dir.resolve(CONFIG_FILE), CONFIG_TYPE);
        Blob manifest = readJson(dir.resolve(MANIFEST_FILE), MANIFEST_TYPE);
        Map<String, Object> layerDescriptor = Json.object(Json.array(
                Json.parseObject(new String(manifest.bytes(), StandardCharsets.UTF_8)).get("layers")).get(0));
        Path layerFile = dir.resolve(LAYER_FILE);
        long size = Files.size(layerFile);
        if (size != ((Number) layerDescriptor.get("size")).longValue()) {
            throw new IOException(layerFile + " is not the size its manifest says: remove " + dir + " to rebuild it.");
        }
        Blob layer = new Blob(String.valueOf(layerDescriptor.get("digest")), size, ImageLayer.GZIP_LAYER, layerFile, null);
        Map<String, Object> inner = Json.object(
                Json.parseObject(new String(configBlob.bytes(), StandardCharsets.UTF_8)).get("config"));
        List<String> env = Json.array(inner.get("Env")).stream().map(String::valueOf).toList();
        List<String> cmd = inner.get("Cmd") == null ? null : Json.array(inner.get("Cmd")).stream().map(String::valueOf).toList();
        Object user = inner.get("User");
        return packed(layer, configBlob, manifest, new ImageConfig(user == null ? null : String.valueOf(user), env, null, null, cmd));
    }

    private static Packed packed(Blob layer, Blob configBlob, Blob manifest, ImageConfig config) {
        ImageRef ref = new ImageRef(manifest.digest(), configBlob.digest(),
                List.of(new ImageLayer(layer.digest(), layer.size(), layer.mediaType(), null)), config);
        return new Packed(layer, configBlob, manifest, ref);
    }

    /** Reads every entry header: fails on anything that is not a tar; returns the number of entries. */
    static long validate(Path tar) throws IOException {
        long count = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(uncompressed(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
                    // dyno-agents refuse such layers (a dyno's /dev comes from runc): refuse them here, clearly
                    throw new IllegalArgumentException(tar + " contains the device file or FIFO " + e.getName()
                            + ": leave /dev out of the root file system (mmdebstrap --skip=output/dev, or tar --exclude=./dev/*).");
                }
                for (String part : e.getName().split("/")) {
                    if (part.equals("..")) {
                        throw new IllegalArgumentException(tar + " names a path outside its root: " + e.getName());
                    }
                }
                count++;
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(tar.toString())) throw e;
            throw new IllegalArgumentException(tar + " is not a tar archive (" + e.getMessage() + ").", e);
        }
        return count;
    }

    /** The tar's bytes, gunzipped when the operator handed a {@code .tar.gz}. */
    private static InputStream uncompressed(Path tar) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(tar), 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GzipCompressorInputStream(in, true) : in;
    }

    private static Map<String, Object> ociConfig(ImageConfig c, String diffId) {
        Map<String, Object> inner = new LinkedHashMap<>();
        if (c.user() != null) inner.put("User", c.user());
        inner.put("Env", c.env());
        inner.put("Cmd", c.cmd());
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", List.of(diffId));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", "amd64");
        m.put("os", "linux");
        m.put("config", inner);
        m.put("rootfs", rootfs);
        m.put("history", List.of(Map.of("created_by", "slipway images:import")));
        return m;
    }

    private static Map<String, Object> manifest(Blob config, Blob layer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MANIFEST_TYPE);
        m.put("config", descriptor(config));
        m.put("layers", List.of(descriptor(layer)));
        return m;
    }

    private static Map<String, Object> descriptor(Blob b) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", b.mediaType());
        d.put("digest", b.digest());
        d.put("size", b.size());
        return d;
    }

    private static Blob json(Map<String, Object> value, String mediaType, Path file) throws IOException {
        byte[] bytes = Json.write(value).getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        return blob(bytes, mediaType);
    }

    private static Blob readJson(Path file, String mediaType) throws IOException {
        return blob(Files.readAllBytes(file), mediaType);
    }

    private static Blob blob(byte[] bytes, String mediaType) {
        MessageDigest d = sha256();
        d.update(bytes);
        return new Blob(digest(d), bytes.length, mediaType, null, bytes);
    }

    private static String digest(MessageDigest d) {
        return "sha256:" + HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
