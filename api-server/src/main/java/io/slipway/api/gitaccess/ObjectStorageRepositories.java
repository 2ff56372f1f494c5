package io.slipway.api.gitaccess;

import io.slipway.api.storage.ObjectStorage;
import org.springframework.stereotype.Component;

/**
 * App repositories live in the platform's object store like slugs and caches: presigned URLs only, so the
 * git-gateway holds no storage credentials. Without a store this answers {@code 503 storage_unavailable}.
 */
@Component
class ObjectStorageRepositories implements RepositoryStorage {
    private final ObjectStorage storage;

    ObjectStorageRepositories(ObjectStorage storage) {
        this.storage = storage;
    }

    @Override
    public String presignGet(String key) {
        return storage.presignGet(key);
    }

    @Override
    public String presignPut(String key) {
        return storage.presignPut(key);
    }
}
