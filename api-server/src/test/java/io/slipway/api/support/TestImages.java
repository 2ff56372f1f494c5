package io.slipway.api.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Image blobs and image JSON for tests of Dockerfile deploys: random content, so no test meets another's blobs. */
public final class TestImages {
    public static final String GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

    private TestImages() {}

    /** One blob: its bytes and their sha256 digest. */
    public record Blob(byte[] bytes, String digest) {
        public long size() {
            return bytes.length;
        }

        /** {@code {"digest","size"}} as image-blobs requests list it. */
        public String request() {
            return "{\"digest\":\"" + digest + "\",\"size\":" + bytes.length + "}";
        }

        public String layer() {
            return "{\"digest\":\"" + digest + "\",\"size\":" + bytes.length + ",\"media_type\":\"" + GZIP + "\"}";
        }
    }

    /** A blob of unique content ({@code what} plus a random id). */
    public static Blob blob(String what) {
        byte[] bytes = (what + " " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        return new Blob(bytes, digest(bytes));
    }

    public static String digest(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"blobs": [...]}} of these blobs. */
    public static String blobsRequest(List<Blob> blobs) {
        return "{\"blobs\":[" + blobs.stream().map(Blob::request).collect(Collectors.joining(",")) + "]}";
    }

    /** The image object (manifest, config, layers, config object); {@code configJson} is the {@code config} value. */
    public static String image(Blob manifest, Blob config, List<Blob> layers, String configJson) {
        return "{\"manifest_digest\":\"" + manifest.digest() + "\",\"config_digest\":\"" + config.digest()
                + "\",\"layers\":[" + layers.stream().map(Blob::layer).collect(Collectors.joining(",")) + "],"
                + "\"config\":" + configJson + "}";
    }

    /** A non-root config running {@code cmd} (a JSON array) by default. */
    public static String config(String user, String cmd) {
        return "{\"user\":" + (user == null ? "null" : "\"" + user + "\"") + ",\"env\":[\"PATH=/usr/bin\"],"
                + "\"working_dir\":\"/app\",\"entrypoint\":null,\"cmd\":" + cmd + "}";
    }

    /** A build result with {@code image} (from {@link #image}) plus process types (a JSON object) and a commit. */
    public static String result(String image, String processTypes, String commit) {
        return "{\"status\":\"succeeded\",\"image\":" + image.substring(0, image.length() - 1)
                + ",\"process_types\":" + processTypes + ",\"commit\":\"" + commit + "\",\"commit_description\":\"test\"}}";
    }
}
