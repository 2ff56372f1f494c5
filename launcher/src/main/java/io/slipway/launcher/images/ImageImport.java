package io.slipway.launcher.images;

import io.slipway.shared.fs.TreeDelete;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Adds a base image to the platform from a root file system tar: packs it ({@link RootfsImage}), asks which blobs
 * the platform lacks, uploads those, then records {@code name:tag}. One class for {@code slipway images:import}
 * and for the default {@code heroku-24} image {@code slipway up} provides.
 */
public final class ImageImport {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    /** What an import did: the stored image's reference, and how many blobs had to be uploaded. */
    public record Result(String nameAndTag, String manifestDigest, long layerBytes, int uploaded) {}

    private final InternalImagesClient client;

    public ImageImport(InternalImagesClient client) {
        this.client = client;
    }

    /** {@code name} or {@code name:tag} made canonical ({@code name:latest}); a bad one is refused clearly. */
    public static String canonical(String nameAndTag) {
        int colon = nameAndTag.indexOf(':');
        String name = colon < 0 ? nameAndTag : nameAndTag.substring(0, colon);
        String tag = colon < 0 ? "latest" : nameAndTag.substring(colon + 1);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Image name '" + name + "' is not valid: lowercase letters, digits, '.', '_'"
                    + " and '-', starting with a letter or digit, at most 64 characters.");
        }
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("Image tag '" + tag + "' is not valid: letters, digits, '.', '_' and '-',"
                    + " not starting with '.' or '-', at most 128 characters.");
        }
        return name + ":" + tag;
    }

    public Result importTar(String nameAndTag, Path tar, List<String> env, String user) {
        return importTar(List.of(nameAndTag), tar, env, user).get(0);
    }

    /** Packs {@code tar} once and records it under every name (the second one uploads nothing). */
    public List<Result> importTar(List<String> namesAndTags, Path tar, List<String> env, String user) {
        List<String> refs = namesAndTags.stream().map(ImageImport::canonical).toList();
        for (String e : env) {
            if (e.indexOf('=') <= 0) throw new IllegalArgumentException("--env needs K=V, not '" + e + "'.");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("slipway-image-import");
            RootfsImage.Packed packed = RootfsImage.pack(tar, work, env, user);
            List<Result> results = new java.util.ArrayList<>();
            for (String ref : refs) results.add(store(ref, packed));
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("could not pack " + tar + ": " + e.getMessage(), e);
        } finally {
            if (work != null) TreeDelete.deleteOrLog(work); // a temporary directory left behind is harmless
        }
    }

    /** Uploads what the platform lacks of {@code packed}, then records it as {@code ref}. */
    public Result store(String ref, RootfsImage.Packed packed) {
        Map<String, String> urls = client.uploadUrls(packed.blobs());
        int uploaded = 0;
        for (RootfsImage.Blob blob : packed.blobs()) {
            String url = urls.get(blob.digest());
            if (url != null) {
                client.upload(url, blob);
                uploaded++;
            }
        }
        client.put(ref, packed.ref());
        return new Result(ref, packed.manifest().digest(), packed.layer().size(), uploaded);
    }
}
