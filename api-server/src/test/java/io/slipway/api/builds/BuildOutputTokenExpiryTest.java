package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A build's {@code output_stream_url} carries a bearer token (it ends up in CI logs and shell history): it
 * works while the build runs and for an hour (the default {@code output-token-ttl}) after it finished, never
 * more than a day after the build was created; then it answers 404 like a wrong token. Time passing is
 * written into the build's row (its {@code updated_at}/{@code created_at}), the only clock the check reads.
 */
class BuildOutputTokenExpiryTest extends BuildApiTestSupport {
    @Autowired
    JdbcTemplate jdbc;

    private String newBuild(User alice, String app) {
        byte[] tarball = ("source " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String body = "{\"source_blob\":{\"url\":\"" + source(alice, tarball) + "\",\"checksum\":\"" + sha256(tarball) + "\"}}";
        return createBuild(alice, app, body).expect(201).json().path("id").asText();
    }

    private String streamPath(User alice, String app, String id) {
        return URI.create(local(build(alice, app, id).path("output_stream_url").asText())).getPath();
    }

    @Test
    void finishedBuildsTokenExpires() {
        User alice = newUser();
        String app = createApp(alice, "expiry");
        String id = newBuild(alice, app);
        String stream = streamPath(alice, app, id);
        claimOwn(id);
        output(id, "-----> secret-ish build output\n").expect(204);
        failBuild(id, "done for the test");

        // just finished: readable
        assertThat(call("GET", stream).send().expect(200).body()).contains("secret-ish build output");

        // finished two hours ago: refused, exactly like a wrong token
        jdbc.update("UPDATE builds SET updated_at = now() - interval '2 hours' WHERE id = ?", UUID.fromString(id));
        call("GET", stream).send().expectError(404, "not_found");
        // the build itself is still there for its owner
        assertThat(build(alice, app, id).path("status").asText()).isEqualTo("failed");
    }

    @Test
    void pendingBuildsTokenExpiresAfterTheMaxLifetime() {
        User alice = newUser();
        String app = createApp(alice, "expiry");
        String id = newBuild(alice, app);
        String stream = streamPath(alice, app, id);
        jdbc.update("UPDATE builds SET created_at = now() - interval '25 hours', updated_at = now() WHERE id = ?",
                UUID.fromString(id));
        call("GET", stream).send().expectError(404, "not_found");
        drainQueue();
    }
}
