package io.slipway.shared.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageRefTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    @Test
    void roundTripsThroughTheInternalApiShape() {
        ImageRef image = new ImageRef(D, D, List.of(new ImageLayer(D, 12, ImageLayer.GZIP_LAYER, "http://s/x")),
                new ImageConfig("1000:1000", List.of("PATH=/usr/bin"), "/app", null, List.of("node", "server.js")));
        ImageRef back = ImageRef.parse(Json.parse(image.toJsonText()));
        assertEquals(image, back);
        assertNull(back.config().entrypoint());
        assertEquals(List.of("node", "server.js"), back.config().defaultCommand());
        assertEquals(12, back.layersSize());
    }

    @Test
    void rootIsRecognisedByNameOrNumber() {
        for (String user : new String[] {null, "", "root", "0", "0:0", "000", "root:1000", ":1000"}) {
            assertTrue(new ImageConfig(user, null, null, null, null).runsAsRoot(), String.valueOf(user));
        }
        for (String user : new String[] {"1000", "1000:0", "app", "app:app", "10"}) {
            assertFalse(new ImageConfig(user, null, null, null, null).runsAsRoot(), user);
        }
    }

    @Test
    void onlyLowercaseSha256DigestsAreDigests() {
        assertTrue(ImageLayer.isDigest(D));
        assertFalse(ImageLayer.isDigest(D.toUpperCase()));
        assertFalse(ImageLayer.isDigest("sha512:" + "ab".repeat(32)));
        assertFalse(ImageLayer.isDigest("sha256:../../x"));
        assertFalse(new ImageLayer(D, 1, "application/vnd.oci.image.layer.v1.tar+zstd", null).isSupportedLayer());
    }
}
