package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The claim tells the build-worker whether a source URL is the platform's own presigned store URL (fetched
 * without the outbound policy: the store is often on 127.0.0.1) or a user's (fetched through it). A user cannot
 * pass a URL off as the store's: the same host with another path, without a signature, or with user info is a
 * user URL (and the store on loopback is refused for it at creation).
 */
class SourceOwnershipTest extends BuildApiTestSupport {

    private JsonNode claimFor(User user, String app, String url) {
        String id = createBuild(user, app, "{\"source_blob\":{\"url\":\"" + url + "\"}}").expect(201).json().path("id").asText();
        return claimOwn(id);
    }

    @Test
    void onlyThePlatformsOwnPresignedUrlsAreMarkedAsSuch() {
        User alice = newUser();
        String app = createApp(alice, "owned");
        String own = source(alice, new byte[] {1, 2, 3});
        JsonNode claim = claimFor(alice, app, own);
        assertThat(claim.path("source_from_platform").asBoolean()).isTrue();
        failBuild(claim.path("build_id").asText(), "done");

        JsonNode external = claimFor(alice, app, "https://example.com/app.tgz");
        assertThat(external.path("source_from_platform").asBoolean()).isFalse();
        failBuild(external.path("build_id").asText(), "done");

        String unsigned = own.substring(0, own.indexOf('?'));
        String storeRoot = unsigned.substring(0, unsigned.indexOf('/', "http://".length()));
        for (String lookalike : new String[] {unsigned, storeRoot + "/other-bucket/x?X-Amz-Signature=1",
                own.replace("://", "://user@")}) {
            String message = createBuild(alice, app, "{\"source_blob\":{\"url\":\"" + lookalike + "\"}}")
                    .expectError(422, "invalid_params").json().path("message").asText();
            assertThat(message).as(lookalike).contains("is refused");
        }
    }
}
