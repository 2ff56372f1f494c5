package io.slipway.buildworker.support;

import io.slipway.buildworker.images.Buildah;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A tiny platform base image for Dockerfile tests: a root file system holding only the host's static
 * {@code busybox} (and its applet links), one gzip layer, stored in a {@link FakeApiServer}'s base namespace.
 * Tests that need it are skipped when Buildah or a static busybox is missing ({@code apt-get install buildah
 * busybox-static}).
 */
public final class BusyboxBaseImage {
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/busybox"), Path.of("/bin/busybox"));
    private static final List<String> APPLETS = List.of("sh", "cat", "echo", "ls", "mkdir", "id", "env", "true",
            "false", "sleep", "seq", "wc", "grep", "test", "printf", "rm", "touch", "ip", "wget", "cut", "head");

    private BusyboxBaseImage() {}

    /** Skips the test unless Buildah, runc as root and a static busybox are all there. */
    public static Path assumeAvailable() throws IOException {
        RuncAvailable.assume();
        Assumptions.assumeTrue(Buildah.available("buildah"), "buildah is not installed (apt-get install buildah)");
        for (Path p : CANDIDATES) {
            if (Files.isRegularFile(p)) {
                String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                if (!bytes.contains("/ld-linux")) return p; // no program interpreter: statically linked
            }
        }
        Assumptions.abort("no static busybox on this host (apt-get install busybox-static)");
        return null;
    }

    /** Makes the image's layer, stores it as a base blob of {@code api} and registers it as {@code name:latest}. */
    public static ImageRef register(FakeApiServer api, String name, Path work) throws IOException {
        Path layer = layer(name, work, Map.of());
        byte[] bytes = Files.readAllBytes(layer);
        String digest = "sha256:" + sha256(bytes);
        api.putBlob(FakeApiServer.baseBlobKey(digest), bytes);
        ImageRef image = new ImageRef("sha256:" + sha256((name + digest).getBytes(StandardCharsets.UTF_8)), null,
                List.of(new ImageLayer(digest, bytes.length, ImageLayer.GZIP_LAYER, null)),
                new ImageConfig(null, List.of("PATH=/bin"), null, null, List.of("/bin/sh")));
        api.addBaseImage(name + ":latest", image);
        return image;
    }

    /** The image's one layer, a tar.gz of the busybox root with {@code extraFiles} (path → content) added. */
    public static Path layer(String name, Path work, Map<String, String> extraFiles) throws IOException {
        Path busybox = assumeAvailable();
        Path rootfs = Files.createDirectories(work.resolve("rootfs-" + name));
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.copy(busybox, rootfs.resolve("bin/busybox"));
        for (String applet : APPLETS) Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
        TestApps.write(rootfs, extraFiles);
        Path layer = work.resolve(name + "-layer.tgz");
        TestApps.run(work, "tar", "--numeric-owner", "--owner=0", "--group=0", "-C", rootfs.toString(), "-czf",
                layer.toString(), ".");
        return layer;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
