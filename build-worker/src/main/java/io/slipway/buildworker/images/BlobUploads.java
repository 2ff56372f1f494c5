package io.slipway.buildworker.images;

import io.slipway.shared.images.ImagesClient;
import io.slipway.buildworker.fs.StoreRetries;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.retry.Backoff;
import io.slipway.shared.retry.Retry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uploads what the object store lacks of a built image: the api-server is told every blob (layers, config,
 * manifest) and answers a presigned PUT url for each one neither the app nor the base images hold; only those
 * are sent (an unchanged layer of a redeploy is never uploaded twice). Each PUT is retried like a slug's.
 */
final class BlobUploads {
    /** How many blobs went up, and their bytes. */
    record Uploaded(int blobs, long bytes) {}

    private BlobUploads() {}

    static Uploaded upload(ImagesClient client, String buildId, Path layout, ImageRef image) throws IOException {
        List<ImageLayer> blobs = new ArrayList<>(image.layers());
        blobs.add(new ImageLayer(image.configDigest(), Files.size(OciLayout.blob(layout, image.configDigest())),
                OciLayout.CONFIG, null));
        blobs.add(new ImageLayer(image.manifestDigest(), Files.size(OciLayout.blob(layout, image.manifestDigest())),
                OciLayout.MANIFEST, null));
        Map<String, String> urls = client.uploadUrls(buildId, blobs);
        int count = 0;
        long bytes = 0;
        for (ImageLayer blob : blobs) {
            String url = urls.get(blob.digest());
            if (url == null) continue;
            if (!Files.isRegularFile(OciLayout.blob(layout, blob.digest()))) {
                throw new IOException("base layer " + blob.digest() + " is no longer in object storage; "
                        + "the operator must import its base image again");
            }
            put(client, url, OciLayout.blob(layout, blob.digest()), blob.digest());
            count++;
            bytes += blob.size();
        }
        return new Uploaded(count, bytes);
    }

    private static void put(ImagesClient client, String url, Path file, String digest) throws IOException {
        try {
            Retry.withBackoff("image blob upload", StoreRetries.BUDGET, Backoff.standard(), () -> {
                HttpResponse<String> response = client.http().send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofMinutes(15)).PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw Retry.forStatus("object storage (upload of " + digest + ")", response.statusCode());
                }
                return null;
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while uploading " + digest);
        }
    }
}
