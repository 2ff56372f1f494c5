package io.slipway.buildworker.images;

import io.slipway.shared.images.ImagesClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slipway.buildworker.support.FakeApiServer;
import io.slipway.shared.images.ImageLayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's typed client of the image endpoints, against the contract as the fake api-server serves it: the
 * batching of large requests only. Everything else (base images, their absence, a lost lease, errors) runs against
 * the real api-server in its {@code ImagesClientContractTest}.
 */
class ImagesClientTest {
    @TempDir Path dir;
    private FakeApiServer api;
    private ImagesClient client;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApiServer(dir, null);
        client = new ImagesClient(URI.create(api.url()), FakeApiServer.TOKEN, HttpClient.newHttpClient());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static String digest(int n) {
        return "sha256:" + HexFormat.of().formatHex(new byte[32]).substring(8) + String.format("%08x", n);
    }

    @Test
    void moreBlobsThanOneRequestTakesAreAskedInBatchesAndStoredOnesLeftOut() throws Exception {
        FakeApiServer.QueuedBuild build = api.enqueue("blobs-app", new byte[] {1}, List.of(), Map.of(), Map.of());
        List<ImageLayer> blobs = new ArrayList<>();
        for (int i = 0; i < 1100; i++) blobs.add(new ImageLayer(digest(i), 3, ImageLayer.GZIP_LAYER, null));
        api.putBlob(FakeApiServer.appBlobKey(build.appId(), digest(7)), new byte[] {1, 2, 3});
        api.putBlob(FakeApiServer.baseBlobKey(digest(8)), new byte[] {1, 2, 3});
        Map<String, String> urls = client.uploadUrls(build.buildId(), blobs);
        assertEquals(1098, urls.size());
        assertNull(urls.get(digest(7)), "already stored for the app");
        assertNull(urls.get(digest(8)), "a base image blob");
        assertEquals(api.url() + "/blobs/" + FakeApiServer.appBlobKey(build.appId(), digest(9)), urls.get(digest(9)));
    }
}
