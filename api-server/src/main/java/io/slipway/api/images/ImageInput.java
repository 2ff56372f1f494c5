package io.slipway.api.images;

import io.slipway.api.errors.InvalidInput;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks every image a component reports must pass before anything is looked up in storage (build results
 * and base images alike): digests of the one accepted form, layers of a supported media type with sizes, at most
 * {@code maxBlobs} layers, within the size limit, config values without NULs. Messages are for the user.
 */
public final class ImageInput {
    private static final int MAX_ENV = 1000;
    private static final int MAX_TEXT = 32768;

    private ImageInput() {}

    public static ImageRef check(ImageRef image, ImagesConfig limits) {
        requireDigest("manifest_digest", image.manifestDigest());
        requireDigest("config_digest", image.configDigest());
        List<ImageLayer> layers = image.layers();
        if (layers.isEmpty()) throw new InvalidInput("Invalid `layers`: an image has at least one layer.");
        if (layers.size() > limits.maxBlobs()) {
            throw new InvalidInput("Invalid `layers`: an image has at most " + limits.maxBlobs() + " layers.");
        }
        for (ImageLayer l : layers) {
            requireDigest("layers[].digest", l.digest());
            if (l.size() < 0) throw new InvalidInput("Invalid `layers[].size` of " + l.digest() + ": expected bytes (>= 0).");
            if (!l.isSupportedLayer()) {
                throw new InvalidInput("Image layer " + l.digest() + " has media type " + l.mediaType()
                        + ", which is not supported: layers must be " + ImageLayer.GZIP_LAYER + " or "
                        + ImageLayer.TAR_LAYER + " (zstd is not).");
            }
        }
        long total = image.layersSize();
        if (total > limits.maxBytes()) {
            throw new InvalidInput("Image size (" + total / (1024 * 1024) + " MB) exceeds the "
                    + limits.maxBytes() / (1024 * 1024) + " MB limit.");
        }
        var config = image.config();
        if (config.env().size() > MAX_ENV) throw new InvalidInput("Invalid `config.env`: at most " + MAX_ENV + " entries.");
        for (String e : config.env()) {
            if (e.indexOf('=') <= 0) throw new InvalidInput("Invalid `config.env` entry: expected K=V.");
            text("config.env", e);
        }
        text("config.user", config.user());
        text("config.working_dir", config.workingDir());
        if (config.entrypoint() != null) config.entrypoint().forEach(a -> text("config.entrypoint", a));
        if (config.cmd() != null) config.cmd().forEach(a -> text("config.cmd", a));
        return image;
    }

    /** The distinct digests of an image's blobs: layers, config and manifest. */
    public static Set<String> blobDigests(ImageRef image) {
        Set<String> all = new HashSet<>();
        image.layers().forEach(l -> all.add(l.digest()));
        all.add(image.configDigest());
        all.add(image.manifestDigest());
        return all;
    }

    static void requireDigest(String field, String value) {
        if (!ImageLayer.isDigest(value)) {
            throw new InvalidInput("Invalid `" + field + "`: expected sha256:<64 lowercase hex digits>.");
        }
    }

    private static void text(String field, String value) {
        if (value != null && (value.length() > MAX_TEXT || value.indexOf('\0') >= 0)) {
            throw new InvalidInput("Invalid `" + field + "`: too long or contains NUL.");
        }
    }
}
