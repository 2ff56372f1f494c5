package io.slipway.api.builds;

import static io.slipway.api.support.TestImages.blob;
import static io.slipway.api.support.TestImages.blobsRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.TestImages;
import io.slipway.api.support.TestImages.Blob;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.builds.LeaseLostException;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import io.slipway.shared.images.ImagesClient;
import io.slipway.shared.internalapi.InternalApiException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The build-worker's image client ({@link ImagesClient}) against the real api-server: base images and a build's
 * blob upload URLs parse into the client's records; refusals surface as {@link InternalApiException}.
 */
class ImagesClientContractTest extends BuildApiTestSupport {

    private ImagesClient client(String token) {
        return new ImagesClient(URI.create(internalBaseUrl()), token, HTTP);
    }

    private static ImageLayer layer(Blob blob) {
        return new ImageLayer(blob.digest(), blob.size(), TestImages.GZIP, null);
    }

    @Test
    void aBaseImageAndABuildsBlobUrls() throws Exception {
        String name = "base-" + UUID.randomUUID().toString().substring(0, 8);
        Blob manifest = blob("manifest");
        Blob config = blob("config");
        Blob base = blob("base layer");
        JsonNode asked = asComponent(ComponentRole.OPERATOR, "POST", "/internal/images/blobs")
                .json(blobsRequest(List.of(base, config, manifest))).send().expect(200).json().path("blobs");
        List<Blob> all = List.of(base, config, manifest);
        for (int i = 0; i < all.size(); i++) {
            assertThat(upload(asked.get(i).path("put_url").asText(), all.get(i).bytes())).isEqualTo(200);
        }
        asComponent(ComponentRole.OPERATOR, "PUT", "/internal/images/" + name)
                .json(TestImages.image(manifest, config, List.of(base), TestImages.config(null, "[\"bash\"]")))
                .send().expect(200);

        ImagesClient worker = client(token(ComponentRole.BUILD_WORKER));
        ImageRef ref = worker.baseImage(name, "latest");
        assertThat(ref.manifestDigest()).isEqualTo(manifest.digest());
        assertThat(ref.configDigest()).isEqualTo(config.digest());
        assertThat(ref.layers()).extracting(ImageLayer::digest).containsExactly(base.digest());
        assertThat(download(ref.layers().get(0).url()).body()).isEqualTo(base.bytes());
        assertThat(ref.config().cmd()).containsExactly("bash");

        ImagesClient.BaseImageMissingException missing = assertThrows(ImagesClient.BaseImageMissingException.class,
                () -> worker.baseImage(name + "x", "v2"));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.id()).isEqualTo("not_found");
        assertThat(missing.getMessage()).contains("slipway images:import");

        User alice = newUser();
        String app = createApp(alice, "images");
        String build = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/" + UUID.randomUUID()
                + ".tgz\"}}").expect(201).json().path("id").asText();
        claimOwn(build);
        Blob own = blob("app layer");
        Map<String, String> urls = worker.uploadUrls(build, List.of(layer(own), layer(base)));
        assertThat(urls).containsOnlyKeys(own.digest()); // the base image's layer is never asked for
        assertThat(upload(urls.get(own.digest()), own.bytes())).isEqualTo(200);

        failBuild(build, "done");
        assertThrows(LeaseLostException.class, () -> worker.uploadUrls(build, List.of(layer(blob("late")))));
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() {
        InternalApiException wrongToken = assertThrows(InternalApiException.class,
                () -> client("not-a-token").baseImage("heroku", "24"));
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.id()).isEqualTo("unauthorized");

        // the router may not read base images (their presigned layer URLs)
        InternalApiException router = assertThrows(InternalApiException.class,
                () -> client(token(ComponentRole.ROUTER)).baseImage("heroku", "24"));
        assertThat(router.status()).isEqualTo(403);
        assertThat(router.id()).isEqualTo("forbidden");

        InternalApiException badName = assertThrows(InternalApiException.class,
                () -> client(token(ComponentRole.BUILD_WORKER)).baseImage("UPPER", "latest"));
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badName.id()).isEqualTo("invalid_params");
    }
}
