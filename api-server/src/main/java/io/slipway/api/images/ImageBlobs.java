package io.slipway.api.images;

import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Which blobs of an image still have to be uploaded, and where to. A blob already stored with the listed size in
 * the app's own namespace, or in the base namespace, is not asked for again (a layer shared by two releases is one
 * object). Only the caller's app's namespace and the public base namespace are looked at: no answer depends on what
 * another app stores, so there is no existence oracle across tenants. A stored object of another size is asked for
 * again (its PUT replaces it). HEAD requests: call outside database transactions.
 */
@Component
public class ImageBlobs {
    private final ObjectStorage storage;

    public ImageBlobs(ObjectStorage storage) {
        this.storage = storage;
    }

    /** For an app's build: PUT URLs under {@code images/apps/<appId>/}. */
    public List<BlobRequest.Answer> forApp(UUID appId, List<BlobRequest> blobs) {
        storage.requireAvailable();
        List<BlobRequest.Answer> out = new ArrayList<>();
        for (BlobRequest b : blobs) {
            String key = ObjectKeys.appImageBlob(appId, b.digest());
            boolean stored = sized(key, b.size()) || sized(ObjectKeys.baseImageBlob(b.digest()), b.size());
            out.add(new BlobRequest.Answer(b.digest(), stored ? null : storage.presignPut(key)));
        }
        return out;
    }

    /** For the operator's base images: PUT URLs under {@code images/base/}. */
    public List<BlobRequest.Answer> forBase(List<BlobRequest> blobs) {
        storage.requireAvailable();
        List<BlobRequest.Answer> out = new ArrayList<>();
        for (BlobRequest b : blobs) {
            String key = ObjectKeys.baseImageBlob(b.digest());
            out.add(new BlobRequest.Answer(b.digest(), sized(key, b.size()) ? null : storage.presignPut(key)));
        }
        return out;
    }

    private boolean sized(String key, long size) {
        OptionalLong stored = storage.size(key);
        return stored.isPresent() && stored.getAsLong() == size;
    }
}
