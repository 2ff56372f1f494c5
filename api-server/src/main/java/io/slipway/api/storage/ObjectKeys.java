package io.slipway.api.storage;

import java.util.UUID;

/**
 * Where each kind of object lives in the bucket. Part of the internal contract (docs/internal-api.md): the
 * build-worker never sees these keys, only presigned URLs for them, but operators write lifecycle rules on
 * the prefixes.
 */
public final class ObjectKeys {
    private ObjectKeys() {}

    /** An uploaded source tarball ({@code POST /sources}); not tracked by the database. */
    public static String source(UUID id) {
        return "sources/" + id + ".tgz";
    }

    /** A slug of an app: made by a build, or uploaded through {@code POST /apps/{app}/slugs}. */
    public static String slug(UUID appId, UUID slugId) {
        return "slugs/" + appId + "/" + slugId + ".tgz";
    }

    /** The app's build cache, restored before and saved after each build; one per app. */
    public static String cache(UUID appId) {
        return "caches/" + appId + ".tgz";
    }

    /** A blob of an app's image (a layer, config or manifest), stored once per app whatever release uses it. */
    public static String appImageBlob(UUID appId, String digest) {
        return appImages(appId) + "blobs/sha256/" + hexOf(digest);
    }

    /** Everything of an app's images: deleted with the app. */
    public static String appImages(UUID appId) {
        return "images/apps/" + appId + "/";
    }

    /** A blob of a platform base image; readable by every build (not secret). */
    public static String baseImageBlob(String digest) {
        return "images/base/blobs/sha256/" + hexOf(digest);
    }

    /** Slugs of an app: deleted with the app. */
    public static String appSlugs(UUID appId) {
        return "slugs/" + appId + "/";
    }

    private static String hexOf(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring("sha256:".length());
    }
}
