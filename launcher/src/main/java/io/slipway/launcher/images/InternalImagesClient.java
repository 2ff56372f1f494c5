package io.slipway.launcher.images;

import io.slipway.shared.images.BaseImage;
import io.slipway.shared.images.BaseImagesClient;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The launcher's adapter over the shared {@link BaseImagesClient} on a running platform's internal listener (plain
 * HTTP on loopback, the operator's token), plus the uploads to the presigned urls it hands out. Failures become
 * {@link IllegalStateException} with what the operator should read, as the launcher's commands print them.
 */
public final class InternalImagesClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private final BaseImagesClient images;

    public InternalImagesClient(String internalUrl, String operatorToken) {
        this.url = internalUrl;
        this.images = new BaseImagesClient(new InternalTransport(URI.create(internalUrl), operatorToken, http));
    }

    /** The stored image {@code name[:tag]}, or empty when the platform has none of that name. */
    public Optional<BaseImage> get(String nameAndTag) {
        return call(() -> images.get(nameAndTag));
    }

    /** Every base image the platform has. */
    public List<BaseImage> list() {
        return call(images::list);
    }

    /** For each blob the platform lacks, the presigned PUT url to upload it to (digest to url). */
    public Map<String, String> uploadUrls(List<RootfsImage.Blob> blobs) {
        List<ImageLayer> asked = new ArrayList<>();
        for (RootfsImage.Blob b : blobs) asked.add(new ImageLayer(b.digest(), b.size(), b.mediaType(), null));
        return call(() -> images.uploadUrls(asked));
    }

    /** Records (or replaces) {@code name[:tag]}; returns the stored image. */
    public BaseImage put(String nameAndTag, ImageRef image) {
        return call(() -> images.put(nameAndTag, image));
    }

    /** Uploads one blob to its presigned url. */
    public void upload(String putUrl, RootfsImage.Blob blob) {
        HttpRequest.BodyPublisher body;
        try {
            body = blob.file() != null ? HttpRequest.BodyPublishers.ofFile(blob.file())
                    : HttpRequest.BodyPublishers.ofByteArray(blob.bytes());
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + blob.file() + ": " + e.getMessage(), e);
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(putUrl)).timeout(Duration.ofMinutes(15)).PUT(body).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("could not reach the object store: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("The object store refused blob " + blob.digest() + ": HTTP " + r.statusCode());
        }
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (InternalApiException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("interrupted", e);
            throw new IllegalStateException("could not reach the running platform at " + url + ": " + e.getMessage(), e);
        }
    }
}
