package io.slipway.api.images;

import io.slipway.api.errors.InvalidInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A blob a component is about to upload: its digest and size, as listed in an image-blobs request. */
public record BlobRequest(String digest, long size) {

    /** Checks a request's list: 1 to {@code maxBlobs} blobs, valid digests, sizes within {@code maxSize}. */
    public static List<BlobRequest> check(List<BlobRequest> blobs, int maxBlobs, long maxSize) {
        if (blobs.isEmpty() || blobs.size() > maxBlobs) {
            throw new InvalidInput("Invalid `blobs`: expected 1 to " + maxBlobs + " blobs.");
        }
        Map<String, BlobRequest> distinct = new LinkedHashMap<>();
        for (BlobRequest b : blobs) {
            ImageInput.requireDigest("blobs[].digest", b.digest());
            if (b.size() < 0 || b.size() > maxSize) {
                throw new InvalidInput("Invalid `blobs[].size` of " + b.digest() + ": expected 0 to " + maxSize + " bytes.");
            }
            BlobRequest seen = distinct.putIfAbsent(b.digest(), b);
            if (seen != null && seen.size() != b.size()) {
                throw new InvalidInput("Blob " + b.digest() + " is listed twice with different sizes.");
            }
        }
        return new ArrayList<>(distinct.values());
    }

    /** The answer for one blob: where to PUT it, or null when it is already stored. */
    public record Answer(String digest, String putUrl) {}
}
