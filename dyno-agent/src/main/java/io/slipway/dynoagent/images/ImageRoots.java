package io.slipway.dynoagent.images;

import io.slipway.shared.fs.TreeDelete;
import io.slipway.shared.archive.ExtractionPolicy;
import io.slipway.shared.archive.OciLayer;
import io.slipway.shared.archive.SafeUntar;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.sandbox.SizedDisk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The root file systems of the images this agent runs, one per manifest digest ({@code <dir>/<hex>}), shared by
 * every dyno of that image: its layers ({@link ImageBlobs}, verified) unpacked bottom-up with their whiteouts
 * ({@link OciLayer}) onto a sized file system ({@link SizedDisk}, so an image cannot fill the host's disk), then
 * remounted read-only. A root is ready once {@code <hex>.ready} exists; one found mounted without it (the agent
 * died while unpacking) is unpacked again. The directory is the agent's own ({@code 0700}): no dyno sees another
 * image's root.
 */
public final class ImageRoots {
    /** The most an image's layers may hold together, compressed (the api-server's own default limit). */
    public static final long MAX_LAYER_BYTES = 4L << 30;
    /** Sparse: costs only what is written; large enough for mkfs to give it 131,072 inodes (images of small files). */
    private static final long MIN_DISK = 2L << 30;
    private static final long MAX_DISK = 16L << 30;
    private final Path dir;
    private final ImageBlobs blobs;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ImageRoots(Path dir, ImageBlobs blobs) {
        this.dir = dir.toAbsolutePath();
        this.blobs = blobs;
    }

    /** {@code <data dir>/images/roots} and {@code <data dir>/images/blobs}, downloads retried as for slugs. */
    public static ImageRoots under(Path dataDir, java.net.http.HttpClient http) {
        Path images = dataDir.resolve("images");
        return new ImageRoots(images.resolve("roots"), new ImageBlobs(images.resolve("blobs"), http,
                java.time.Duration.ofMinutes(2)));
    }

    public ImageBlobs blobs() {
        return blobs;
    }

    /** The image's read-only root file system, made first when this agent does not have it yet. */
    public Path rootFor(ImageRef image) throws IOException, InterruptedException {
        if (!ImageLayer.isDigest(image.manifestDigest())) {
            throw new IOException("bad image manifest digest " + image.manifestDigest());
        }
        for (ImageLayer layer : image.layers()) {
            ImageBlobs.hexOf(layer);
            if (!layer.isSupportedLayer()) {
                throw new IOException("image layer " + layer.digest() + " has the unsupported media type "
                        + layer.mediaType() + " (only " + ImageLayer.GZIP_LAYER + " and " + ImageLayer.TAR_LAYER
                        + " layers can be run)");
            }
        }
        if (image.layersSize() > MAX_LAYER_BYTES) {
            throw new IOException("the image's layers hold " + image.layersSize() + " bytes, more than "
                    + MAX_LAYER_BYTES);
        }
        String hex = ImageLayer.hex(image.manifestDigest());
        Path root = dir.resolve(hex);
        Path ready = dir.resolve(hex + ".ready");
        ReentrantLock lock = locks.computeIfAbsent(hex, k -> new ReentrantLock());
        lock.lockInterruptibly();
        try {
            if (Files.isRegularFile(ready) && SizedDisk.isMountPoint(root)) return root;
            List<Path> layerBlobs = new java.util.ArrayList<>();
            for (ImageLayer layer : image.layers()) layerBlobs.add(blobs.fetch(layer));
            delete(hex);
            ownDirectory();
            long disk = Math.min(MAX_DISK, Math.max(MIN_DISK, 4 * image.layersSize() + (64L << 20)));
            SizedDisk.mount(image(hex), root, disk, 0, 0);
            try {
                unpack(image.layers(), layerBlobs, root, disk);
                MountPoints.prepare(root);
                remountReadOnly(root);
                Files.writeString(ready, image.manifestDigest() + "\n", StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                delete(hex);
                throw e;
            }
            return root;
        } finally {
            lock.unlock();
        }
    }

    /** Unmounts and deletes the roots whose manifest digests (hex digits) are not in {@code keep}. */
    public void retainOnly(Set<String> keep) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                String hex = name.replaceFirst("\\.(img|ready)$", "");
                if (!hex.matches("[0-9a-f]{64}") || keep.contains(hex)) continue;
                ReentrantLock lock = locks.computeIfAbsent(hex, k -> new ReentrantLock());
                if (!lock.tryLock()) continue; // being unpacked (for a dyno about to go too): the next round
                try {
                    delete(hex); // a dyno still running on it keeps its lazily unmounted file system to its end
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            // best effort: the next round deletes it
        }
    }

    /** At the agent's start: every root goes (mounts do not survive a reboot; a crash may have left half of one). */
    public void clearAll() {
        SizedDisk.unmountAllUnder(dir);
        TreeDelete.deleteOrLog(dir);
    }

    /**
     * At the agent's clean stop, once its dynos are stopped: every root is unmounted, so no mount or loop device
     * outlives the agent (the next start deletes the roots anyway). Lazily: a dyno that did not stop in time keeps
     * its read-only root to its end.
     */
    public void unmountAll() {
        SizedDisk.unmountAllUnder(dir);
    }

    private void unpack(List<ImageLayer> layers, List<Path> layerBlobs, Path root, long disk) throws IOException {
        long bytesLeft = disk;
        long entriesLeft = ExtractionPolicy.DEFAULT_MAX_ENTRIES;
        for (int i = 0; i < layers.size(); i++) {
            ImageLayer layer = layers.get(i);
            try {
                SafeUntar.Result r = OciLayer.apply(layerBlobs.get(i), ImageLayer.GZIP_LAYER.equals(layer.mediaType()),
                        root, ExtractionPolicy.limitedTo(bytesLeft).withMaxEntries(entriesLeft));
                bytesLeft -= r.bytes();
                entriesLeft -= r.entries();
            } catch (IOException e) {
                throw new IOException("image layer " + layer.digest() + " cannot be unpacked: " + e.getMessage(), e);
            }
        }
        // the image's own "./" entry is not applied: its root is the platform's, readable by every user
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void delete(String hex) {
        Path root = dir.resolve(hex);
        SizedDisk.unmount(image(hex), root);
        TreeDelete.deleteOrLog(root);
        try {
            Files.deleteIfExists(dir.resolve(hex + ".ready"));
        } catch (IOException e) {
            // the root is gone: a stale marker alone is never taken for a ready root
        }
    }

    private Path image(String hex) {
        return dir.resolve(hex + ".img");
    }

    private void ownDirectory() throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void remountReadOnly(Path root) throws IOException {
        try {
            Process p = new ProcessBuilder("mount", "-o", "remount,ro,nosuid,nodev", root.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("cannot make the image's root read-only: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the image's root read-only");
        }
    }
}
