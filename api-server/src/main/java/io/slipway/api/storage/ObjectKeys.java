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
}
