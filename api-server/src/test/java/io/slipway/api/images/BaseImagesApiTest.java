package io.slipway.api.images;

import static io.slipway.api.support.TestImages.blob;
import static io.slipway.api.support.TestImages.blobsRequest;
import static io.slipway.api.support.TestImages.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestImages;
import io.slipway.api.support.TestImages.Blob;
import io.slipway.api.web.ComponentRole;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Platform base images on the internal API, against the real PostgreSQL and s3proxy: the operator imports
 * (blobs, PUT), build-workers read, everyone else is refused; an unknown name is a 404 that says what to do.
 */
class BaseImagesApiTest extends StorageApiTest {

    static String uniqueName() {
        return "base-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Asks for and uploads the blobs as {@code slipway images:import} does; returns the digests asked for. */
    List<String> importBlobs(List<Blob> blobs) {
        JsonNode answer = asComponent(ComponentRole.OPERATOR, "POST", "/internal/images/blobs")
                .json(blobsRequest(blobs)).send().expect(200).json().path("blobs");
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            JsonNode url = answer.get(i).path("put_url");
            if (url.isNull()) continue;
            assertThat(url.asText()).contains("images/base/blobs/sha256/" + blobs.get(i).digest().substring(7));
            assertThat(upload(url.asText(), blobs.get(i).bytes())).isEqualTo(200);
            asked.add(blobs.get(i).digest());
        }
        return asked;
    }

    @Test
    void anImportedBaseImageIsReadByBuildWorkersAndReplacedByTheNextImport() {
        String name = uniqueName();
        Blob manifest = blob("manifest");
        Blob config = blob("config");
        Blob layer = blob("base layer");
        assertThat(importBlobs(List.of(layer, config, manifest))).hasSize(3);
        assertThat(importBlobs(List.of(layer))).isEmpty(); // stored once
        String body = TestImages.image(manifest, config, List.of(layer), config(null, "[\"bash\"]"));
        JsonNode stored = asComponent(ComponentRole.OPERATOR, "PUT", "/internal/images/" + name).json(body).send()
                .expect(200).json();
        assertThat(stored.path("name").asText()).isEqualTo(name);
        assertThat(stored.path("tag").asText()).isEqualTo("latest");

        JsonNode read = worker("GET", "/internal/images/" + name + ":latest").send().expect(200).json();
        assertThat(read.path("manifest_digest").asText()).isEqualTo(manifest.digest());
        assertThat(read.path("config_digest").asText()).isEqualTo(config.digest());
        assertThat(read.path("config").path("cmd").get(0).asText()).isEqualTo("bash");
        assertThat(download(read.path("layers").get(0).path("url").asText()).body()).isEqualTo(layer.bytes());
        assertThat(download(read.path("manifest_url").asText()).body()).isEqualTo(manifest.bytes());
        assertThat(download(read.path("config_url").asText()).body()).isEqualTo(config.bytes());

        Blob manifest2 = blob("manifest 2");
        Blob layer2 = blob("base layer 2");
        importBlobs(List.of(layer2, manifest2));
        asComponent(ComponentRole.OPERATOR, "PUT", "/internal/images/" + name + ":latest")
                .json(TestImages.image(manifest2, config, List.of(layer, layer2), config(null, "[\"sh\"]"))).send().expect(200);
        JsonNode replaced = worker("GET", "/internal/images/" + name).send().expect(200).json();
        assertThat(replaced.path("manifest_digest").asText()).isEqualTo(manifest2.digest());
        assertThat(replaced.path("layers")).hasSize(2);

        JsonNode list = asComponent(ComponentRole.OPERATOR, "GET", "/internal/images").send().expect(200).json();
        List<String> names = new ArrayList<>();
        list.forEach(i -> names.add(i.path("name").asText() + ":" + i.path("tag").asText()));
        assertThat(names).containsOnlyOnce(name + ":latest");
    }

    @Test
    void anUnknownBaseImageIsA404ThatSaysHowToImportIt() {
        String name = uniqueName();
        JsonNode error = worker("GET", "/internal/images/" + name + ":v2").send().expectError(404, "not_found").json();
        assertThat(error.path("message").asText())
                .isEqualTo("Base image " + name + ":v2 is not available: import it with slipway images:import.");
        worker("GET", "/internal/images/UPPER").send().expectError(422, "invalid_params");
    }

    @Test
    void aBaseImageWithABlobNeverUploadedIsRefused() {
        String name = uniqueName();
        Blob manifest = blob("manifest");
        Blob config = blob("config");
        Blob layer = blob("never uploaded");
        importBlobs(List.of(manifest, config));
        JsonNode error = asComponent(ComponentRole.OPERATOR, "PUT", "/internal/images/" + name)
                .json(TestImages.image(manifest, config, List.of(layer), config(null, "[\"sh\"]"))).send()
                .expectError(422, "invalid_params").json();
        assertThat(error.path("message").asText()).contains(layer.digest()).contains("not in object storage");
        worker("GET", "/internal/images/" + name).send().expectError(404, "not_found");
        asComponent(ComponentRole.OPERATOR, "PUT", "/internal/images/" + name)
                .json("{\"manifest_digest\":\"sha256:zz\",\"layers\":[]}").send().expectError(422, "invalid_params");
    }

    @Test
    void onlyTheOperatorImportsAndOnlyBuildWorkersAndTheOperatorRead() {
        String name = uniqueName();
        Blob manifest = blob("manifest");
        Blob config = blob("config");
        Blob layer = blob("layer");
        importBlobs(List.of(manifest, config, layer));
        String body = TestImages.image(manifest, config, List.of(layer), config(null, "[\"sh\"]"));
        worker("PUT", "/internal/images/" + name).json(body).send().expectError(403, "forbidden");
        worker("POST", "/internal/images/blobs").json(blobsRequest(List.of(layer))).send().expectError(403, "forbidden");
        worker("GET", "/internal/images").send().expectError(403, "forbidden");
        asComponent(ComponentRole.OPERATOR, "PUT", "/internal/images/" + name).json(body).send().expect(200);
        String agent = newAgentId();
        asAgent(agent, "GET", "/internal/images/" + name).send().expectError(403, "forbidden");
        asComponent(ComponentRole.ROUTER, "GET", "/internal/images/" + name).send().expectError(403, "forbidden");
        asComponent(ComponentRole.GIT_GATEWAY, "PUT", "/internal/images/" + name).json(body).send().expectError(403, "forbidden");
        asComponent(ComponentRole.OPERATOR, "GET", "/internal/images/" + name).send().expect(200);
        worker("GET", "/internal/images/" + name).send().expect(200);
    }
}
