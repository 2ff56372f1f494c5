package io.slipway.launcher.images;

import io.slipway.shared.fs.TreeDelete;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base image {@code slipway up} provides so that {@code FROM heroku-24} works without a registry: a minimal
 * Debian 12 root file system made once with {@code mmdebstrap} (variant minbase plus bash, ca-certificates,
 * socat and busybox; no compilers), packed as a one-layer OCI image and kept in the Slipway cache directory
 * ({@code $SLIPWAY_CACHE_DIR}, default {@code ~/.cache/slipway}), then imported into every platform that has no
 * {@code heroku-24} yet, under {@code heroku-24} and {@code heroku-22} (the same root: Heroku names images after
 * its stacks; this one is Debian 12, docs/operators.md says so). The buildpack stack itself (this host's own
 * {@code /usr}, 5.4 GB) is far too big to be an image.
 */
public final class DefaultBaseImage {
    public static final List<String> NAMES = List.of("heroku-24:latest", "heroku-22:latest");
    /** Bump when the recipe below changes, so a cached image of the old recipe is not reused. */
    static final String CACHE_NAME = "debian12-minbase-v2";
    static final String DEFAULT_MIRROR = "http://deb.debian.org/debian";
    private static final Logger log = LoggerFactory.getLogger(DefaultBaseImage.class);
    private static CompletableFuture<Path> building;

    private DefaultBaseImage() {}

    /** Where the packed image is cached: {@code $SLIPWAY_CACHE_DIR/base-images/<recipe>}. */
    public static Path cacheDir() {
        String cache = System.getenv("SLIPWAY_CACHE_DIR");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "slipway");
        return base.resolve("base-images").resolve(CACHE_NAME);
    }

    /** Imports the default image under every name of {@link #NAMES} the platform lacks; builds it first if needed. */
    public static void ensureImported(InternalImagesClient client, Path logFile) {
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            if (client.get(name).isEmpty()) missing.add(name);
        }
        if (missing.isEmpty()) return;
        RootfsImage.Packed packed;
        try {
            packed = RootfsImage.load(built(logFile).get());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the cached base image in " + cacheDir() + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped while waiting for the base image to be built", e);
        }
        ImageImport importer = new ImageImport(client);
        for (String name : missing) {
            ImageImport.Result r = importer.store(name, packed);
            log.info("base image {} imported ({}, {} MB, {} blobs uploaded)", r.nameAndTag(), r.manifestDigest(),
                    r.layerBytes() / 1_000_000, r.uploaded());
        }
    }

    /**
     * The cache build, one per JVM and not tied to a platform: a platform stopped while mmdebstrap runs (a short
     * test, Ctrl-C) stops waiting, but the build goes on for the next platform of this JVM; a JVM that exits
     * stops mmdebstrap (shutdown hook) and the next build starts over. A failed build is tried again next time.
     */
    static synchronized CompletableFuture<Path> built(Path logFile) {
        if (building == null || building.isCompletedExceptionally()) {
            CompletableFuture<Path> future = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    future.complete(ensureBuilt(cacheDir(), logFile));
                } catch (IOException | RuntimeException e) {
                    future.completeExceptionally(e);
                }
            }, "default-base-image-build");
            t.setDaemon(true);
            t.start();
            building = future;
        }
        return building;
    }

    /**
     * The packed image's directory, made with mmdebstrap when the cache has none. A lock file keeps two
     * platforms starting at once from building it twice; the result is moved into place whole, so a build cut
     * short leaves nothing that looks finished.
     */
    static Path ensureBuilt(Path dir, Path logFile) throws IOException {
        if (Files.isRegularFile(dir.resolve("manifest.json"))) return dir;
        Files.createDirectories(dir.getParent());
        try (FileChannel lockFile = FileChannel.open(dir.getParent().resolve(CACHE_NAME + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (Files.isRegularFile(dir.resolve("manifest.json"))) return dir;
            // holding the lock, any half-made build here is one a stopped JVM left behind
            try (var stale = Files.newDirectoryStream(dir.getParent(), CACHE_NAME + ".building-*")) {
                for (Path p : stale) TreeDelete.deleteOrLog(p);
            }
            Path work = Files.createTempDirectory(dir.getParent(), CACHE_NAME + ".building-");
            try {
                Path tar = work.resolve("rootfs.tar");
                long t = System.nanoTime();
                mmdebstrap(tar, logFile);
                long tarBytes = Files.size(tar);
                long built = System.nanoTime();
                Path packedDir = work.resolve("packed");
                RootfsImage.Packed packed = RootfsImage.pack(tar, packedDir, List.of(
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"), null);
                log.info("base image built with mmdebstrap in {} s ({} MB tar), packed in {} s ({} MB gzip layer)",
                        String.format("%.1f", (built - t) / 1e9), tarBytes / 1_000_000,
                        String.format("%.1f", (System.nanoTime() - built) / 1e9), packed.layer().size() / 1_000_000);
                Files.delete(tar);
                Files.move(packedDir, dir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                TreeDelete.deleteOrLog(work);
            }
            return dir;
        }
    }

    /** Runs mmdebstrap (Debian package {@code mmdebstrap}); its output goes to {@code logFile}. */
    private static void mmdebstrap(Path tar, Path logFile) throws IOException {
        String mirror = System.getenv().getOrDefault("SLIPWAY_DEBIAN_MIRROR", DEFAULT_MIRROR);
        List<String> cmd = List.of("mmdebstrap", "--variant=minbase", "--include=bash,ca-certificates,socat,busybox",
                // documentation and translations are a third of the root and nothing in a dyno reads them
                "--dpkgopt=path-exclude=/usr/share/man/*", "--dpkgopt=path-exclude=/usr/share/locale/*",
                "--dpkgopt=path-exclude=/usr/share/info/*", "--dpkgopt=path-exclude=/usr/share/doc/*",
                "--dpkgopt=path-include=/usr/share/doc/*/copyright",
                // no device nodes in /dev: a dyno's /dev comes from runc, and layers with devices are refused
                "--skip=output/dev",
                "--format=tar", "bookworm", tar.toString(), mirror);
        log.info("building the default base image (Debian 12 minbase) with mmdebstrap from {}; output in {}", mirror, logFile);
        Files.createDirectories(logFile.getParent());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IOException("mmdebstrap is not installed (apt-get install mmdebstrap, or run"
                    + " launcher/scripts/install-packages.sh): the default base image heroku-24 cannot be built", e);
        }
        Thread stopOnExit = new Thread(() -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }, "stop-mmdebstrap");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("mmdebstrap did not finish in 30 minutes; see " + logFile);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the base image");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; the process has ended
        }
        if (p.exitValue() != 0) throw new IOException("mmdebstrap failed (exit " + p.exitValue() + "); see " + logFile);
    }
}
