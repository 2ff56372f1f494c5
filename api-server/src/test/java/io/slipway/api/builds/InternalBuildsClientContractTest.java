package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.api.web.ComponentRole;
import io.slipway.shared.builds.BuiltSlug;
import io.slipway.shared.builds.ClaimedBuild;
import io.slipway.shared.builds.InternalBuildsClient;
import io.slipway.shared.builds.LeaseLostException;
import io.slipway.shared.builds.ReleaseRef;
import io.slipway.shared.internalapi.InternalApiException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The build-worker's typed client ({@link InternalBuildsClient}) against the real api-server: a claim, heartbeat,
 * output and result parse into the client's records; refusals surface as {@link InternalApiException} with the
 * Heroku id ({@link LeaseLostException} for a lost lease).
 */
class InternalBuildsClientContractTest extends BuildApiTestSupport {

    private InternalBuildsClient client(String token) {
        return new InternalBuildsClient(URI.create(internalBaseUrl()), token, HTTP);
    }

    private ClaimedBuild claimOwn(InternalBuildsClient client, String buildId) throws Exception {
        for (int i = 0; i < 200; i++) {
            ClaimedBuild claimed = client.claim(WORKER).orElseThrow(() -> new AssertionError(buildId + " not claimable"));
            if (claimed.buildId().equals(buildId)) return claimed;
            client.failed(claimed.buildId(), "left over by another test");
        }
        throw new AssertionError("too many builds queued before " + buildId);
    }

    private String newBuild(User user, String app) {
        return createBuild(user, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\",\"version\":\"abc\"}}")
                .expect(201).json().path("id").asText();
    }

    @Test
    void aBuildClaimedBeatenWrittenAndReleased() throws Exception {
        User alice = newUser();
        String app = createApp(alice, "contract");
        String id = newBuild(alice, app);
        InternalBuildsClient worker = client(token(ComponentRole.BUILD_WORKER));

        ClaimedBuild claimed = claimOwn(worker, id);
        assertThat(claimed.appName()).isEqualTo(app);
        assertThat(claimed.appId()).isEqualTo(app(alice, app).path("id").asText());
        assertThat(claimed.sourceUrl()).isEqualTo("https://example.com/a.tgz");
        assertThat(claimed.sourceFromPlatform()).isFalse();
        assertThat(claimed.slugPutUrl()).startsWith("http");
        assertThat(claimed.leaseSeconds()).isPositive();
        assertThat(claimed.maxSlugBytes()).isEqualTo(MAX_SLUG_BYTES);

        assertThat(worker.heartbeat(id)).isPositive();
        worker.output(id, "-----> contract test\n");
        byte[] slug = new byte[10];
        assertThat(upload(claimed.slugPutUrl(), slug)).isEqualTo(200);
        ReleaseRef release = worker.succeeded(id, new BuiltSlug(sha256(slug), slug.length,
                Map.of("web", "npm start"), "Node.js", null, null));
        assertThat(release.version()).isPositive();
        assertThat(call("GET", "/apps/" + app + "/releases/" + release.id()).as(alice).send().expect(200)
                .json().path("version").asInt()).isEqualTo(release.version());

        // the build is over: its lease is gone, and the client says so with its own type
        LeaseLostException lost = assertThrows(LeaseLostException.class, () -> worker.heartbeat(id));
        assertThat(lost.status()).isEqualTo(409);
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() throws Exception {
        InternalApiException wrongToken = assertThrows(InternalApiException.class,
                () -> client("not-a-token").claim(WORKER));
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.id()).isEqualTo("unauthorized");

        // the router's token is a real one, but not allowed to take builds (and their config vars)
        InternalApiException router = assertThrows(InternalApiException.class,
                () -> client(token(ComponentRole.ROUTER)).claim(WORKER));
        assertThat(router.status()).isEqualTo(403);
        assertThat(router.id()).isEqualTo("forbidden");

        InternalBuildsClient worker = client(token(ComponentRole.BUILD_WORKER));
        InternalApiException unknown = assertThrows(InternalApiException.class,
                () -> worker.output(UUID.randomUUID().toString(), "line\n"));
        assertThat(unknown.status()).isIn(404, 409);
        assertThat(unknown.id()).isNotNull();

        drainQueue();
        assertThat(worker.claim(WORKER)).isEmpty(); // 204: nothing queued

        User alice = newUser();
        String app = createApp(alice, "refused");
        String given = newBuild(alice, app);
        claimOwn(worker, given);
        worker.failed(given, "No default language could be detected for this app.");
        assertThat(build(alice, app, given).path("status").asText()).isEqualTo("failed");

        String id = newBuild(alice, app);
        claimOwn(worker, id);
        // a slug that was never uploaded: the result is refused and the build fails without a release
        InternalApiException badBody = assertThrows(InternalApiException.class, () -> worker.succeeded(id,
                new BuiltSlug("SHA256:" + "ab".repeat(32), 1234, Map.of("web", "npm start"), "Node.js", null, null)));
        assertThat(badBody.status()).isEqualTo(422);
        assertThat(badBody.id()).isEqualTo("invalid_params");
        assertThat(badBody.getMessage()).contains("is not in object storage");
    }
}
