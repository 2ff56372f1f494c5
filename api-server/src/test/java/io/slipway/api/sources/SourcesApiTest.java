package io.slipway.api.sources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.StorageApiTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SourcesApiTest extends StorageApiTest {

    @Test
    void givesAPlaceToUploadASourceTarballAndToReadItBack() {
        User alice = newUser();
        JsonNode blob = call("POST", "/sources").as(alice).send().expect(201).matches("source").json().path("source_blob");
        String put = blob.path("put_url").asText();
        String get = blob.path("get_url").asText();
        assertThat(put).contains("/sources/").contains("X-Amz-Signature=");
        assertThat(get).contains("/sources/");
        // both URLs name the same object
        assertThat(put.substring(0, put.indexOf('?'))).isEqualTo(get.substring(0, get.indexOf('?')));

        assertThat(download(get).statusCode()).isEqualTo(404);
        byte[] tarball = "not really a tarball".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(put, tarball)).isEqualTo(200);
        assertThat(download(get).body()).isEqualTo(tarball);

        JsonNode other = call("POST", "/sources").as(alice).send().expect(201).json().path("source_blob");
        assertThat(other.path("get_url").asText()).isNotEqualTo(get);
    }

    @Test
    void needsAnAccount() {
        call("POST", "/sources").send().expectError(401, "unauthorized");
    }
}
