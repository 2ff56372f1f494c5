package io.slipway.api.images;

import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Before any release (or base image) uses an image, every blob it names must really be in object storage (HEAD
 * requests): each layer with exactly the reported size, the config and the manifest present; an app's blobs in its
 * own namespace or the base namespace, a base image's in the base namespace. Called outside database transactions:
 * these are network calls. Dyno-agents and build-workers verify digests when they download.
 */
@Component
public class VerifyImageBlobs {
    private final ObjectStorage storage;

    public VerifyImageBlobs(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Why an image cannot be used; the message is meant for the user. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message);
        }
    }

    /**
     * {@code appId} null: a base image. Returns the digests found only in the base namespace (for an app image,
     * the blobs it shares with a base image and never uploaded). Throws {@link Rejected} for a missing blob or a
     * layer of another size, {@code 503 storage_unavailable} when the store does not answer.
     */
    public Set<String> verify(UUID appId, ImageRef image) {
        Set<String> inBase = new LinkedHashSet<>();
        for (ImageLayer layer : image.layers()) {
            where(appId, layer.digest(), layer.size(), "Image layer", inBase);
        }
        where(appId, image.configDigest(), -1, "Image config", inBase);
        where(appId, image.manifestDigest(), -1, "Image manifest", inBase);
        return inBase;
    }

    /** {@code size} -1: any size. */
    private void where(UUID appId, String digest, long size, String what, Set<String> inBase) {
        OptionalLong own = appId == null ? OptionalLong.empty() : storage.size(ObjectKeys.appImageBlob(appId, digest));
        if (own.isPresent() && (size < 0 || own.getAsLong() == size)) return;
        OptionalLong base = storage.size(ObjectKeys.baseImageBlob(digest));
        if (base.isPresent() && (size < 0 || base.getAsLong() == size)) {
            if (appId != null) inBase.add(digest);
            return;
        }
        OptionalLong found = own.isPresent() ? own : base;
        if (found.isPresent()) {
            throw new Rejected(what + " " + digest + " in object storage is " + found.getAsLong()
                    + " bytes, not the " + size + " bytes reported.");
        }
        throw new Rejected(what + " " + digest + " is not in object storage: its upload never completed.");
    }
}
