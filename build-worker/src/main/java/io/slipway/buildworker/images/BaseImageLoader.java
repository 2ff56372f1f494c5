package io.slipway.buildworker.images;

import io.slipway.shared.images.ImagesClient;
import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Puts the platform's base images a Dockerfile names into the worker's Buildah storage, as
 * {@code localhost/<name>:<tag>}. The api-server is asked every time (an operator may have re-imported the name);
 * an image whose manifest digest the worker already loaded is not fetched again. Each layer is downloaded from its
 * presigned URL and checked against its sha256 and size before use (the store is not trusted), then written as an
 * OCI layout Buildah pulls from. One image is loaded at a time per worker.
 */
public final class BaseImageLoader {
    private final ImagesClient client;
    private final Buildah buildah;
    private final Path markers;

    public BaseImageLoader(ImagesClient client, Buildah buildah, Path markers) {
        this.client = client;
        this.buildah = buildah;
        this.markers = markers;
    }

    /**
     * @throws ImagesClient.BaseImageMissingException when the platform has no such image (the api-server's message)
     */
    public synchronized void load(BaseImageName name, Path scratch, Consumer<String> info) throws IOException {
        ImageRef image = client.baseImage(name.name(), name.tag());
        Path marker = markers.resolve(name.name() + "_" + name.tag());
        if (Files.isRegularFile(marker) && Files.readString(marker).strip().equals(image.manifestDigest())
                && buildah.succeeds(List.of("inspect", "--type", "image", name.local()))) {
            return;
        }
        info.accept("Loading base image " + name + " (" + human(image.layersSize()) + ")");
        Path layout = Files.createDirectories(
                scratch.resolve("base-" + name.name() + "-" + name.tag().toLowerCase(java.util.Locale.ROOT)));
        try {
            List<String> diffIds = new ArrayList<>();
            for (ImageLayer layer : image.layers()) {
                if (!ImageLayer.isDigest(layer.digest()) || !layer.isSupportedLayer() || layer.url() == null) {
                    throw new IOException("base image " + name + " has a layer this worker cannot use: "
                            + layer.digest() + " (" + layer.mediaType() + ")");
                }
                Path file = OciLayout.blob(layout, layer.digest());
                Files.createDirectories(file.getParent());
                download(layer, file);
                diffIds.add(ImageLayer.GZIP_LAYER.equals(layer.mediaType()) ? "sha256:" + gunzippedSha256(file)
                        : layer.digest());
            }
            OciLayout.write(layout, image.layers(), diffIds, image.config());
            String id = buildah.pullLayout(layout).strip();
            String imageId = id.lines().reduce((a, b) -> b).orElse("").strip();
            buildah.output(List.of("tag", imageId, name.local()), Duration.ofMinutes(1));
            Files.createDirectories(markers);
            StringBuilder layers = new StringBuilder();
            for (int i = 0; i < diffIds.size(); i++) {
                ImageLayer l = image.layers().get(i);
                layers.append(diffIds.get(i)).append(' ').append(l.digest()).append(' ').append(l.size()).append(' ')
                        .append(l.mediaType()).append('\n');
            }
            Files.writeString(markers.resolve(name.name() + "_" + name.tag() + ".layers"), layers);
            Files.writeString(marker, image.manifestDigest());
        } finally {
            TreeDelete.deleteOrThrow(layout);
        }
    }

    /**
     * Drops what the worker remembers of having loaded {@code name}: something else (an image pulled from the
     * registry mirror) now holds {@code localhost/<name>:<tag>}, so the next build that finds the name on the
     * platform loads it again instead of trusting the tag.
     */
    public synchronized void forget(BaseImageName name) throws IOException {
        Files.deleteIfExists(markers.resolve(name.name() + "_" + name.tag())); // (its .layers stay true of the store)
    }

    /**
     * The stored blobs of every base image this worker loaded, by their uncompressed digest: a built image's
     * layer with the same content is the base blob (see {@link OciLayout#reuseBaseLayers}).
     */
    public synchronized Map<String, ImageLayer> baseLayers() throws IOException {
        Map<String, ImageLayer> byDiffId = new HashMap<>();
        if (!Files.isDirectory(markers)) return byDiffId;
        try (var files = Files.list(markers)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".layers")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.split(" ");
                    if (f.length == 4 && ImageLayer.isDigest(f[0]) && ImageLayer.isDigest(f[1])) {
                        byDiffId.put(f[0], new ImageLayer(f[1], Long.parseLong(f[2]), f[3], null));
                    }
                }
            }
        }
        return byDiffId;
    }

    /** Downloads one layer and checks its size and sha256 while writing it. */
    private void download(ImageLayer layer, Path file) throws IOException {
        HttpClient http = client.http();
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(layer.url())).timeout(Duration.ofMinutes(30)).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + layer.digest());
        }
        MessageDigest sha = sha256();
        long written = 0;
        try (InputStream body = response.body(); InputStream in = new DigestInputStream(body, sha);
             OutputStream out = Files.newOutputStream(file)) {
            if (response.statusCode() != 200) {
                throw new IOException("object storage answered " + response.statusCode() + " for base layer " + layer.digest());
            }
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > layer.size()) break; // more than announced: refused below, not read to the end
                out.write(buffer, 0, n);
            }
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
        if (written != layer.size() || !actual.equals(layer.digest())) {
            throw new IOException("base layer " + layer.digest() + " from object storage does not match its digest "
                    + "and size (got " + written + " bytes); it was not used");
        }
    }

    private static String gunzippedSha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(file), 64 * 1024), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String human(long bytes) {
        if (bytes < 1024 * 1024) return Math.max(1, (bytes + 1023) / 1024) + "K";
        return String.format(java.util.Locale.ROOT, "%.1fM", bytes / (1024.0 * 1024.0));
    }
}
