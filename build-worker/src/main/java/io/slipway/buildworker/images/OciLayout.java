package io.slipway.buildworker.images;

import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/<hex>}): read after
 * {@code buildah push --format oci} to learn what was built, and written from a base image's layers so
 * {@code buildah pull oci:<dir>} can load it. JSON through the shared {@link Json}; the only thing decided
 * here is which fields matter.
 */
public final class OciLayout {
    public static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final long MAX_JSON_BYTES = 4 << 20;

    private OciLayout() {}

    /** The blob file of a digest inside a layout. */
    public static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve("sha256").resolve(ImageLayer.hex(digest));
    }

    /** The image Buildah pushed: manifest and config digests, layers, and the config the platform keeps. */
    public static ImageRef read(Path layout) throws IOException {
        Map<String, Object> index = json(layout.resolve("index.json"));
        List<Object> manifests = Json.array(index.get("manifests"));
        if (manifests.size() != 1) throw new IOException("the pushed layout has " + manifests.size() + " manifests, not 1");
        String manifestDigest = digest(Json.object(manifests.get(0)).get("digest"));
        Map<String, Object> manifest = jsonBlob(layout, manifestDigest);
        Object mediaType = manifest.getOrDefault("mediaType", Json.object(manifests.get(0)).get("mediaType"));
        if (!MANIFEST.equals(mediaType)) throw new IOException("the pushed manifest is " + mediaType + ", not an OCI manifest");
        String configDigest = digest(Json.object(manifest.get("config")).get("digest"));
        Map<String, Object> config = jsonBlob(layout, configDigest);
        List<ImageLayer> layers = new ArrayList<>();
        for (Object o : Json.array(manifest.get("layers"))) {
            Map<String, Object> l = Json.object(o);
            ImageLayer layer = new ImageLayer(digest(l.get("digest")), ((Number) l.get("size")).longValue(),
                    String.valueOf(l.get("mediaType")), null);
            if (!layer.isSupportedLayer()) {
                throw new IOException("layer " + layer.digest() + " is " + layer.mediaType()
                        + "; only gzip or plain tar layers are supported");
            }
            if (Files.size(blob(layout, layer.digest())) != layer.size()) {
                throw new IOException("layer " + layer.digest() + " does not have the size its manifest says");
            }
            layers.add(layer);
        }
        return new ImageRef(manifestDigest, configDigest, layers, imageConfig(config));
    }

    /**
     * Points the image's layers that are a base image's layers (same uncompressed content: the config's
     * {@code diff_ids}) at the base blobs the store already holds, and writes the changed manifest into the
     * layout. Buildah recompresses every layer on push, so without this each app would store its own copy of
     * its base image's layers.
     *
     * @param baseLayers uncompressed digest to the base image's stored blob
     */
    public static ImageRef reuseBaseLayers(Path layout, ImageRef image, Map<String, ImageLayer> baseLayers)
            throws IOException {
        List<Object> diffIds = Json.array(Json.object(jsonBlob(layout, image.configDigest()).get("rootfs")).get("diff_ids"));
        if (diffIds.size() != image.layers().size()) return image;
        List<ImageLayer> layers = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < diffIds.size(); i++) {
            ImageLayer base = baseLayers.get(String.valueOf(diffIds.get(i)));
            changed |= base != null && !base.digest().equals(image.layers().get(i).digest());
            layers.add(base != null ? new ImageLayer(base.digest(), base.size(), base.mediaType(), null) : image.layers().get(i));
        }
        if (!changed) return image;
        Map<String, Object> configRef = new LinkedHashMap<>();
        configRef.put("mediaType", CONFIG);
        configRef.put("digest", image.configDigest());
        configRef.put("size", Files.size(blob(layout, image.configDigest())));
        Map<String, Object> manifestRef = writeBlob(layout, MANIFEST, Json.write(manifest(configRef, layers)));
        return new ImageRef((String) manifestRef.get("digest"), image.configDigest(), layers, image.config());
    }

    private static Map<String, Object> manifest(Map<String, Object> configRef, List<ImageLayer> layers) {
        List<Object> layerRefs = new ArrayList<>();
        for (ImageLayer l : layers) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("mediaType", l.mediaType());
            ref.put("digest", l.digest());
            ref.put("size", l.size());
            layerRefs.add(ref);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST);
        manifest.put("config", configRef);
        manifest.put("layers", layerRefs);
        return manifest;
    }

    /** The parts of an OCI config's {@code config} object the platform keeps. */
    static ImageConfig imageConfig(Map<String, Object> ociConfig) {
        Map<String, Object> c = ociConfig.get("config") == null ? Map.of() : Json.object(ociConfig.get("config"));
        return new ImageConfig(blankToNull(c.get("User")), strings(c.get("Env")), blankToNull(c.get("WorkingDir")),
                c.get("Entrypoint") == null ? null : strings(c.get("Entrypoint")),
                c.get("Cmd") == null ? null : strings(c.get("Cmd")));
    }

    /**
     * Writes a layout holding one image made of {@code layers} (already in {@code layout}'s blobs, verified) and
     * a config built from {@code config} and the layers' uncompressed digests. The same inputs give the same
     * bytes, so every worker loads a base image under the same image id.
     */
    public static void write(Path layout, List<ImageLayer> layers, List<String> diffIds, ImageConfig config)
            throws IOException {
        Map<String, Object> c = new LinkedHashMap<>();
        if (config.user() != null) c.put("User", config.user());
        if (!config.env().isEmpty()) c.put("Env", config.env());
        if (config.workingDir() != null) c.put("WorkingDir", config.workingDir());
        if (config.entrypoint() != null) c.put("Entrypoint", config.entrypoint());
        if (config.cmd() != null) c.put("Cmd", config.cmd());
        Map<String, Object> ociConfig = new LinkedHashMap<>();
        ociConfig.put("architecture", architecture());
        ociConfig.put("os", "linux");
        ociConfig.put("config", c);
        Map<String, Object> rootfs = new LinkedHashMap<>(); // ordered: the config's bytes make the image id
        rootfs.put("type", "layers");
        rootfs.put("diff_ids", diffIds);
        ociConfig.put("rootfs", rootfs);
        // Buildah checks that the history names one non-empty entry per layer; the originals are not handed on
        List<Object> history = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) history.add(Map.of("created_by", "slipway base image layer " + (i + 1)));
        ociConfig.put("history", history);
        Map<String, Object> configRef = writeBlob(layout, CONFIG, Json.write(ociConfig));

        Map<String, Object> manifestRef = writeBlob(layout, MANIFEST, Json.write(manifest(configRef, layers)));
        Files.writeString(layout.resolve("index.json"),
                Json.write(Map.of("schemaVersion", 2, "manifests", List.of(manifestRef))));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    private static Map<String, Object> writeBlob(Path layout, String mediaType, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + sha256(bytes);
        Path file = blob(layout, digest);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("mediaType", mediaType);
        ref.put("digest", digest);
        ref.put("size", (long) bytes.length);
        return ref;
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    private static Map<String, Object> jsonBlob(Path layout, String digest) throws IOException {
        Path file = blob(layout, digest);
        byte[] bytes = Files.readAllBytes(file);
        if (!("sha256:" + sha256(bytes)).equals(digest)) throw new IOException("blob " + digest + " does not match its digest");
        return Json.parseObject(new String(bytes, StandardCharsets.UTF_8));
    }

    private static Map<String, Object> json(Path file) throws IOException {
        if (Files.size(file) > MAX_JSON_BYTES) throw new IOException(file.getFileName() + " is too large");
        return Json.parseObject(Files.readString(file));
    }

    private static String digest(Object value) throws IOException {
        if (!(value instanceof String s) || !ImageLayer.isDigest(s)) throw new IOException("not a sha256 digest: " + value);
        return s;
    }

    private static String blankToNull(Object value) {
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        for (Object o : Json.array(value)) out.add(String.valueOf(o));
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
