package io.slipway.api.images;

import static io.slipway.api.support.TestImages.blob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestImages;
import io.slipway.api.support.TestImages.Blob;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.images.BaseImage;
import io.slipway.shared.images.BaseImagesClient;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The operator's base-image client ({@link BaseImagesClient}: {@code slipway images:import}, {@code slipway images}
 * and the default images of {@code slipway up}) against the real api-server, PostgreSQL and s3proxy: upload urls,
 * the stored image, one image and the list parse into {@link BaseImage}; an unknown name is empty; refusals are
 * {@link InternalApiException} with the Heroku id and the server's own message for the operator to read.
 */
class BaseImagesClientContractTest extends StorageApiTest {

    private BaseImagesClient client(String token) {
        return new BaseImagesClient(new InternalTransport(URI.create(internalBaseUrl()), token, HTTP));
    }

    private static ImageLayer layer(Blob blob) {
        return new ImageLayer(blob.digest(), blob.size(), TestImages.GZIP, null);
    }

    private static ImageRef image(Blob manifest, Blob config, Blob layer) {
        return new ImageRef(manifest.digest(), config.digest(), List.of(layer(layer)),
                new ImageConfig(null, List.of("GREETING=hi"), null, null, List.of("bash")));
    }

    @Test
    void importsListsAndReadsABaseImage() throws Exception {
        String name = "base-" + UUID.randomUUID().toString().substring(0, 8);
        Blob manifest = blob("manifest");
        Blob config = blob("config");
        Blob base = blob("base layer");
        BaseImagesClient operator = client(token(ComponentRole.OPERATOR));
        Map<String, String> urls = operator.uploadUrls(List.of(layer(base), layer(config), layer(manifest)));
        assertThat(urls).containsOnlyKeys(base.digest(), config.digest(), manifest.digest());
        for (Blob b : List.of(base, config, manifest)) assertThat(upload(urls.get(b.digest()), b.bytes())).isEqualTo(200);
        assertThat(operator.uploadUrls(List.of(layer(base)))).isEmpty(); // stored once: nothing to upload again

        BaseImage stored = operator.put(name, image(manifest, config, base));
        assertThat(stored.nameAndTag()).isEqualTo(name + ":latest");
        assertThat(stored.image().manifestDigest()).isEqualTo(manifest.digest());
        assertThat(stored.createdAt()).isNotNull();

        BaseImage read = operator.get(name + ":latest").orElseThrow();
        assertThat(read.image().configDigest()).isEqualTo(config.digest());
        assertThat(read.image().config().env()).containsExactly("GREETING=hi");
        assertThat(read.image().config().cmd()).containsExactly("bash");
        assertThat(read.image().layers()).extracting(ImageLayer::digest).containsExactly(base.digest());
        assertThat(read.image().layersSize()).isEqualTo(base.size());
        assertThat(download(read.image().layers().get(0).url()).body()).isEqualTo(base.bytes());
        assertThat(download(read.manifestUrl()).body()).isEqualTo(manifest.bytes());
        assertThat(download(read.configUrl()).body()).isEqualTo(config.bytes());

        assertThat(operator.get(name + ":v9")).isEmpty();
        assertThat(operator.list()).extracting(BaseImage::nameAndTag).containsOnlyOnce(name + ":latest");
    }

    @Test
    void refusalsSurfaceAsTheOneErrorTypeWithTheServersMessage() throws Exception {
        String name = "base-" + UUID.randomUUID().toString().substring(0, 8);
        Blob manifest = blob("manifest");
        Blob config = blob("config");
        Blob never = blob("never uploaded");
        BaseImagesClient operator = client(token(ComponentRole.OPERATOR));
        Map<String, String> urls = operator.uploadUrls(List.of(layer(manifest), layer(config)));
        for (Blob b : List.of(config, manifest)) assertThat(upload(urls.get(b.digest()), b.bytes())).isEqualTo(200);
        InternalApiException missing = expectError(422, "invalid_params", () -> operator.put(name, image(manifest, config, never)));
        assertThat(missing.getMessage()).contains(never.digest()).contains("not in object storage")
                .doesNotStartWith("api-server answered"); // printed to the operator as it is
        assertThat(operator.get(name)).isEmpty(); // nothing recorded
        expectError(422, "invalid_params", () -> operator.get("UPPER"));

        expectError(401, "unauthorized", () -> client("not-a-token").list());
        expectError(401, "unauthorized", () -> client("not-a-token").get(name));
        // a build-worker reads base images but imports none; no other component touches them
        BaseImagesClient worker = client(token(ComponentRole.BUILD_WORKER));
        expectError(403, "forbidden", worker::list);
        expectError(403, "forbidden", () -> worker.uploadUrls(List.of(layer(never))));
        expectError(403, "forbidden", () -> worker.put(name, image(manifest, config, never)));
        expectError(403, "forbidden", () -> client(token(ComponentRole.ROUTER)).get(name));
        expectError(403, "forbidden", () -> client(agentToken(newAgentId())).get(name));
    }

    private static InternalApiException expectError(int status, String id, Executable call) {
        InternalApiException e = assertThrows(InternalApiException.class, call);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.id()).as(e.getMessage()).isEqualTo(id);
        return e;
    }
}
