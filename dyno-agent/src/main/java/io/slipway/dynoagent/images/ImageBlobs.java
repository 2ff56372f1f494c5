package io.slipway.dynoagent.images;

import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.retry.Backoff;
import io.slipway.shared.retry.Retry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Image layer blobs on this host, by digest ({@code <dir>/<hex>}): each downloaded once from its presigned URL and
 * kept only when its size and SHA-256 are exactly the layer's (the object store is not trusted to return the right
 * bytes; a body longer than the declared size is cut off while downloading, never written past it). An
 * unreachable store is retried with backoff as for slugs; a 4xx or a wrong digest fails at once.
 */
public final class ImageBlobs {
    private final Path dir;
    private final HttpClient http;
    private final Duration retryBudget;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ImageBlobs(Path dir, HttpClient http, Duration retryBudget) {
        this.dir = dir;
        this.http = http;
        this.retryBudget = retryBudget;
    }

    /** The layer's verified blob, downloading it first when this host does not have it yet. */
    public Path fetch(ImageLayer layer) throws IOException, InterruptedException {
        String hex = hexOf(layer);
        Path target = dir.resolve(hex);
        ReentrantLock lock = locks.computeIfAbsent(hex, k -> new ReentrantLock());
        lock.lockInterruptibly();
        try {
            if (Files.isRegularFile(target)) return target;
            if (layer.url() == null) throw new IOException("image layer " + layer.digest() + " has no download URL");
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                // tenants' layers: the agent's own, as their unpacked roots are
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
            return Retry.withBackoff("image layer " + layer.digest() + " download", retryBudget, Backoff.standard(),
                    () -> download(layer, target));
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the blobs whose digests are not in {@code keep} (hex digits). */
    public void retainOnly(Set<String> keep) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (keep.contains(name) || name.endsWith(".partial")) continue;
                ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock());
                if (!lock.tryLock()) continue; // being downloaded: the next round
                try {
                    Files.deleteIfExists(p);
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            // best effort: the next round deletes it
        }
    }

    static String hexOf(ImageLayer layer) throws IOException {
        if (!ImageLayer.isDigest(layer.digest())) throw new IOException("bad image layer digest " + layer.digest());
        if (layer.size() < 0) throw new IOException("image layer " + layer.digest() + " has no size");
        return ImageLayer.hex(layer.digest());
    }

    private Path download(ImageLayer layer, Path target) throws IOException, InterruptedException {
        Path partial = dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(layer.url())).timeout(Duration.ofMinutes(10))
                    .GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest sha = sha256();
            long written = 0;
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) throw Retry.forStatus("image layer download", response.statusCode());
                try (OutputStream out = Files.newOutputStream(partial)) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        written += n;
                        if (written > layer.size()) {
                            throw new Retry.Permanent("image layer " + layer.digest() + " is larger than its "
                                    + layer.size() + " bytes");
                        }
                        sha.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
            }
            if (written != layer.size()) {
                throw new IOException("image layer " + layer.digest() + " is " + written + " bytes, not "
                        + layer.size() + " (a cut transfer?)");
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha.digest());
            if (!actual.equals(layer.digest())) {
                throw new Retry.Permanent("image layer " + layer.digest() + " failed its digest check (got " + actual
                        + ")");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
