package io.slipway.buildworker.images;

import io.slipway.shared.images.ImagesClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.buildworker.support.FakeApiServer;
import io.slipway.shared.builds.LeaseLostException;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
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

/** The worker's typed client of the image endpoints, against the contract as the fake api-server serves it. */
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

    @Test
    void aLostLeaseIsALostLease() throws Exception {
        FakeApiServer.QueuedBuild build = api.enqueue("lease-app", new byte[] {1}, List.of(), Map.of(), Map.of());
        api.loseLease(build.buildId());
        assertThrows(LeaseLostException.class, () -> client.uploadUrls(build.buildId(),
                List.of(new ImageLayer(digest(1), 1, ImageLayer.GZIP_LAYER, null))));
    }

    @Test
    void baseImagesAndTheirAbsence() throws Exception {
        ImageRef image = new ImageRef(digest(1), null, List.of(new ImageLayer(digest(2), 10, ImageLayer.GZIP_LAYER, null)),
                new ImageConfig(null, List.of("PATH=/usr/bin"), null, null, List.of("bash")));
        api.addBaseImage("heroku-24:latest", image);
        ImageRef got = client.baseImage("heroku-24", "latest");
        assertEquals(digest(1), got.manifestDigest());
        assertEquals(api.url() + "/blobs/" + FakeApiServer.baseBlobKey(digest(2)), got.layers().get(0).url());
        assertEquals(List.of("bash"), got.config().cmd());
        var missing = assertThrows(ImagesClient.BaseImageMissingException.class, () -> client.baseImage("heroku-25", "v1"));
        assertEquals("Base image heroku-25:v1 is not available: import it with slipway images:import.", missing.getMessage());
    }
}
