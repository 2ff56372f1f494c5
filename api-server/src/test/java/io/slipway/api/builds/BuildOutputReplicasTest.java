package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.Replica;
import io.slipway.api.web.ComponentRole;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A build's {@code output_stream_url} made by replica A (this context) streams on replica B
 * ({@link Replica#second()}, same database): output a build-worker sends through B and through A reaches a
 * reader following on B while the build runs, and the stream ends when the build finishes.
 */
@ExtendWith(Replica.StopSecond.class)
class BuildOutputReplicasTest extends BuildApiTestSupport {
    @Test
    void outputStreamMadeOnOneReplicaFollowsTheBuildOnAnother() throws Exception {
        Replica b = Replica.second();
        User alice = newUser();
        String app = createApp(alice, "outr");
        byte[] tarball = ("source " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String body = "{\"source_blob\":{\"url\":\"" + source(alice, tarball) + "\",\"checksum\":\"" + sha256(tarball) + "\"}}";
        String id = createBuild(alice, app, body).expect(201).json().path("id").asText();
        String path = URI.create(build(alice, app, id).path("output_stream_url").asText()).getRawPath();
        claimOwn(id);

        CompletableFuture<HttpResponse<String>> onB = HTTP.sendAsync(HttpRequest.newBuilder(URI.create(b.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        output(id, "-----> through A\n").expect(204);
        b.asComponent(ComponentRole.BUILD_WORKER, "POST", "/internal/builds/" + id + "/output")
                .header("Content-Type", "text/plain; charset=utf-8").json("-----> through B\n").send().expect(204);
        assertThat(onB.isDone()).as("the stream follows the running build").isFalse();
        failBuild(id, "stopped by the test");

        HttpResponse<String> streamed = onB.get(60, TimeUnit.SECONDS);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.body()).contains("-----> through A\n-----> through B\n");
    }
}
