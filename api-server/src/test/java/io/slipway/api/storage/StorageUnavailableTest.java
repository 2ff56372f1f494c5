package io.slipway.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.web.ComponentRole;
import org.junit.jupiter.api.Test;

/** ApiTest's context has no object storage: the api-server runs, and what needs storage says why it cannot. */
class StorageUnavailableTest extends ApiTest {

    @Test
    void everythingThatNeedsStorageAnswers503AndTheRestWorks() {
        User alice = newUser();
        String app = uniqueAppName("nostore");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);

        Response source = call("POST", "/sources").as(alice).send().expectError(503, "storage_unavailable");
        assertThat(source.json().path("message").asText()).contains("slipway.s3");
        call("POST", "/apps/" + app + "/builds").as(alice).json("{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}")
                .send().expectError(503, "storage_unavailable");
        call("POST", "/apps/" + app + "/slugs").as(alice).json("{\"process_types\":{\"web\":\"x\"}}").send()
                .expectError(503, "storage_unavailable");
        call("DELETE", "/apps/" + app + "/build-cache").as(alice).send().expectError(503, "storage_unavailable");
        asComponent(ComponentRole.BUILD_WORKER, "POST", "/internal/builds/claim")
                .json("{\"worker_id\":\"w\"}").send().expectError(503, "storage_unavailable");

        // bad input is still bad input, and nothing was recorded
        call("POST", "/apps/" + app + "/builds").as(alice).json("{}").send().expectError(422, "invalid_params");
        assertThat(call("GET", "/apps/" + app + "/builds").as(alice).send().expect(200).json()).isEmpty();
        call("GET", "/apps/" + app).as(alice).send().expect(200);
    }
}
