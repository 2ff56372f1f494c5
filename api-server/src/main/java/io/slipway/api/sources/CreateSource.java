package io.slipway.api.sources;

import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code POST /sources}: a fresh place for a source tarball, as a presigned PUT (to upload it) and GET (to
 * hand to {@code POST /apps/{app}/builds} as {@code source_blob.url}). Nothing is recorded: the object
 * belongs to whoever holds the URLs, and operators expire {@code sources/} with a bucket lifecycle rule.
 */
@Service
public class CreateSource {
    private final ObjectStorage storage;

    public CreateSource(ObjectStorage storage) {
        this.storage = storage;
    }

    public record Source(String getUrl, String putUrl) {}

    public Source create() {
        storage.requireAvailable();
        String key = ObjectKeys.source(UUID.randomUUID());
        return new Source(storage.presignGet(key), storage.presignPut(key));
    }
}
