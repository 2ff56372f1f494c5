package io.slipway.api.support;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;

/** A build-worker played by a test over the real internal API: claims builds and posts their results. */
public final class FakeBuildWorker {
    private final StorageApiTest test;
    private final String workerId;

    public FakeBuildWorker(StorageApiTest test, String workerId) {
        this.test = test;
        this.workerId = workerId;
    }

    public Response claim() {
        return test.worker("POST", "/internal/builds/claim").json("{\"worker_id\":\"" + workerId + "\"}").send();
    }

    /**
     * Claims until this test's build comes up. Other tests' builds met on the way (left queued, or requeued by
     * the sweeper) are failed so that they stop coming back.
     */
    public JsonNode claimOwn(String buildId) {
        for (int i = 0; i < 200; i++) {
            Response r = claim();
            if (r.status() == 204) fail("build " + buildId + " was not claimable");
            JsonNode claim = r.expect(200).json();
            if (claim.path("build_id").asText().equals(buildId)) return claim;
            failBuild(claim.path("build_id").asText(), "left over by another test");
        }
        throw new AssertionError("too many builds queued before " + buildId);
    }

    /** Fails every claimable build, so a test starts with an empty queue. */
    public void drainQueue() {
        for (int i = 0; i < 500; i++) {
            Response r = claim();
            if (r.status() == 204) return;
            failBuild(r.expect(200).json().path("build_id").asText(), "drained by a test");
        }
        throw new AssertionError("the queue did not drain");
    }

    public Response result(String buildId, String json) {
        return test.worker("POST", "/internal/builds/" + buildId + "/result").json(json).send();
    }

    public void failBuild(String buildId, String message) {
        result(buildId, "{\"status\":\"failed\",\"message\":\"" + message + "\"}").expect(200);
    }

    /** A successful result for a slug of {@code size} bytes with these process types (a JSON object). */
    public static String succeeded(long size, String processTypes) {
        return "{\"status\":\"succeeded\",\"slug\":{\"checksum\":\"SHA256:" + "ab".repeat(32) + "\",\"size\":" + size
                + ",\"process_types\":" + processTypes + ",\"buildpack_provided_description\":\"Node.js\","
                + "\"commit\":null,\"commit_description\":null}}";
    }
}
