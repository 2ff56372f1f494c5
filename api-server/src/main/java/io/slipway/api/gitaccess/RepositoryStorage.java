package io.slipway.api.gitaccess;

/**
 * Where the git-gateway keeps each app's bare repository between pushes: one object per app, reached only
 * through presigned URLs, so gateways hold no storage credentials. Keys look like {@code repos/<app_id>.tgz}.
 * Implementations throw {@code 503 storage_unavailable} when no object storage is configured.
 */
public interface RepositoryStorage {
    /** A URL to download the object with a plain GET (404 when it does not exist yet). */
    String presignGet(String key);

    /** A URL to upload (replace) the object with a plain PUT. */
    String presignPut(String key);
}
