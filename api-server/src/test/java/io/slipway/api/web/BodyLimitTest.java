package io.slipway.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A hostile user sends the public API bodies far larger than any Platform API call needs, with a declared
 * length and chunked: both answer 413 {@code request_entity_too_large} before a handler holds them; an ordinary
 * body still works.
 */
class BodyLimitTest extends ApiTest {
    private static final int OVER = 1024 * 1024 + 512 * 1024;

    private static String hugeAppJson() {
        return "{\"name\":\"x\",\"pad\":\"" + "a".repeat(OVER) + "\"}";
    }

    @Test
    void aDeclaredLengthPastTheLimitIs413() throws Exception {
        User mallory = newUser();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/apps"))
                .header("Authorization", "Bearer " + mallory.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(hugeAppJson())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"id\":\"request_entity_too_large\"").contains("1 MiB");
    }

    @Test
    void aChunkedBodyPastTheLimitIs413() throws Exception {
        User mallory = newUser();
        byte[] body = hugeAppJson().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/apps"))
                .header("Authorization", "Bearer " + mallory.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"id\":\"request_entity_too_large\"");
    }

    /** On the public listener the limit holds whatever the path says: only the internal listener is exempt. */
    @Test
    void aPublicPathSpelledThroughInternalIsLimitedToo() throws Exception {
        User mallory = newUser();
        byte[] body = hugeAppJson().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/internal/../apps"))
                .header("Authorization", "Bearer " + mallory.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
    }

    @Test
    void ordinaryBodiesStillWorkChunkedOrNot() throws Exception {
        User alice = newUser();
        String name = uniqueAppName("small");
        byte[] body = ("{\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/apps"))
                .header("Authorization", "Bearer " + alice.apiKey()).header("Content-Type", "application/json")
                .header("Accept", "application/vnd.heroku+json; version=3")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        call("PATCH", "/apps/" + name + "/config-vars").as(alice).json("{\"A\":\"" + "b".repeat(10_000) + "\"}").send().expect(200);
    }
}
