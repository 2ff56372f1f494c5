package io.slipway.api.slugs;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.storage.ObjectStorage;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;

/**
 * Before any release uses a slug, its tarball must really be in object storage (a HEAD request), with the
 * size the uploader reported and within the size limit. A slug over the limit is deleted at once.
 * Called outside database transactions: it is a network call.
 */
@Component
public class VerifySlugObject {
    private final ObjectStorage storage;
    private final long maxBytes;

    public VerifySlugObject(ObjectStorage storage, ApiServerConfig config) {
        this.storage = storage;
        this.maxBytes = config.builds().maxSlugBytes();
    }

    /** Why a slug cannot be released; the message is meant for the user. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }

    /**
     * The object's size. {@code expectedSize} null: any size. Throws {@link Rejected} when the object is
     * missing, of another size, or too large; {@code 503 storage_unavailable} when the store does not answer.
     */
    public long verify(Slug slug, Long expectedSize) {
        return verify(slug.id().toString(), slug.objectKey(), expectedSize);
    }

    public long verify(String slugId, String objectKey, Long expectedSize) {
        OptionalLong size = storage.size(objectKey);
        if (size.isEmpty()) {
            throw new Rejected("Slug " + slugId + " is not in object storage: its upload never completed.");
        }
        long bytes = size.getAsLong();
        if (bytes > maxBytes) {
            storage.delete(objectKey);
            throw new Rejected("Slug size (" + megabytes(bytes) + " MB) exceeds the " + megabytes(maxBytes) + " MB limit.");
        }
        if (expectedSize != null && bytes != expectedSize) {
            throw new Rejected("Slug " + slugId + " in object storage is " + bytes + " bytes, not the "
                    + expectedSize + " bytes reported.");
        }
        return bytes;
    }

    private static long megabytes(long bytes) {
        return bytes / (1024 * 1024);
    }
}
