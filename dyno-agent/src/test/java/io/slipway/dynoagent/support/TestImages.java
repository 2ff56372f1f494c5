package io.slipway.dynoagent.support;

import com.sun.net.httpserver.HttpServer;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds small OCI images in a test, layer by layer with Commons Compress, and serves their blobs from a real
 * HTTP server on loopback (an ephemeral port) standing in for the object store's presigned URLs.
 */
public final class TestImages implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

    public TestImages() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/blobs/", exchange -> {
            byte[] body = blobs.get(exchange.getRequestURI().getPath().substring("/blobs/".length()));
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** A layer of {@code tar}'s entries, gzipped or plain, served under its own digest. */
    public ImageLayer layer(Tar tar, boolean gzip) throws IOException {
        byte[] bytes = tar.bytes(gzip);
        return serve(digest(bytes), bytes, gzip);
    }

    /** The host's static busybox (apt-get install busybox-static): the one binary a test image needs. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    /** Why a test image cannot be built here, or null: a static busybox is needed. */
    public static String busyboxProblem() throws IOException, InterruptedException {
        if (!Files.isRegularFile(BUSYBOX)) return "needs a static busybox: apt-get install busybox-static";
        Process ldd = new ProcessBuilder("ldd", BUSYBOX.toString()).redirectErrorStream(true).start();
        String out = new String(ldd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ldd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        return out.contains("not a dynamic executable") ? null
                : "/bin/busybox is not statically linked: apt-get install busybox-static";
    }

    /** A layer with busybox as {@code /bin/busybox} and these applets linked to it, and {@code /etc/passwd}. */
    public static Tar busybox(List<String> applets, String passwd) throws IOException {
        Tar tar = new Tar().dir("bin", 0755, 0).copy("bin/busybox", BUSYBOX);
        for (String applet : applets) tar.symlink("bin/" + applet, "busybox");
        return tar.dir("etc", 0755, 0).file("etc/passwd", passwd);
    }

    /** A layer served under a digest that is not its own (a store returning the wrong bytes). */
    public ImageLayer layerClaiming(String digest, Tar tar) throws IOException {
        return serve(digest, tar.bytes(true), true);
    }

    /** A blob as it is (a layer another tool wrote), served under its digest with its media type. */
    public ImageLayer blob(String digest, byte[] bytes, String mediaType) {
        String hex = digest.substring("sha256:".length());
        blobs.put(hex, bytes);
        return new ImageLayer(digest, bytes.length, mediaType,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/blobs/" + hex);
    }

    private ImageLayer serve(String digest, byte[] bytes, boolean gzip) {
        String hex = digest.substring("sha256:".length());
        blobs.put(hex, bytes);
        return new ImageLayer(digest, bytes.length, gzip ? ImageLayer.GZIP_LAYER : ImageLayer.TAR_LAYER,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/blobs/" + hex);
    }

    /** An image of these layers; its manifest digest is derived from the layers and config, as a real one is. */
    public static ImageRef image(ImageConfig config, ImageLayer... layers) {
        StringBuilder manifest = new StringBuilder(config.toJson().toString());
        for (ImageLayer l : layers) manifest.append(l.digest());
        return new ImageRef(digest(manifest.toString().getBytes(StandardCharsets.UTF_8)), null, Arrays.asList(layers),
                config);
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A layer's entries, with any name, type, mode and owner. */
    public static final class Tar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8");

        public Tar() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Tar dir(String name, int mode, int uid) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
            e.setMode(040000 | mode);
            e.setIds(uid, uid);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public Tar file(String name, String content) throws IOException {
            return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, 0);
        }

        public Tar file(String name, byte[] content, int mode, int uid) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
            e.setMode(0100000 | mode);
            e.setIds(uid, uid);
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        /** A copy of a host file (a static binary), executable. */
        public Tar copy(String name, Path source) throws IOException {
            return file(name, Files.readAllBytes(source), 0755, 0);
        }

        public Tar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] bytes(boolean gzip) throws IOException {
            tar.close();
            if (!gzip) return bytes.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(bytes.toByteArray());
            }
            return out.toByteArray();
        }
    }
}
