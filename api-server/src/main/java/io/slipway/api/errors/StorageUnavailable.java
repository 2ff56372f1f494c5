package io.slipway.api.errors;

/**
 * Sources, slugs and builds need object storage; an api-server started without {@code slipway.s3.*}, or whose
 * store does not answer, says so instead of failing later. Apart from {@link Unavailable} because clients
 * tell the two apart.
 */
public final class StorageUnavailable extends DomainException {
    public StorageUnavailable(String message) {
        super(Kind.STORAGE_UNAVAILABLE, message, null);
    }
}
