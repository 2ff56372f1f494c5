package io.slipway.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;

/** An HTTP response with assertions that print the body when they fail. */
public final class Response {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpResponse<String> raw;

    Response(HttpResponse<String> raw) {
        this.raw = raw;
    }

    public int status() { return raw.statusCode(); }
    public String body() { return raw.body(); }

    public String header(String name) {
        return raw.headers().firstValue(name).orElse(null);
    }

    public JsonNode json() {
        try {
            return JSON.readTree(raw.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException("not JSON (" + status() + "): " + raw.body(), e);
        }
    }

    public Response expect(int status) {
        assertThat(status()).as("status of %s %s, body: %s", raw.request().method(), raw.request().uri(), raw.body())
                .isEqualTo(status);
        return this;
    }

    /** Asserts a Heroku error: the status, {@code id}, and a non-empty message. */
    public Response expectError(int status, String id) {
        expect(status);
        assertThat(json().path("id").asText()).as("error id in %s", raw.body()).isEqualTo(id);
        assertThat(json().path("message").asText()).as("error message in %s", raw.body()).isNotBlank();
        return this;
    }

    /** Asserts the body matches Heroku's schema definition (object or each element of an array). */
    public Response matches(String definition) {
        if (json().isArray()) HerokuSchema.assertEachMatches(definition, raw.body());
        else HerokuSchema.assertMatches(definition, raw.body());
        return this;
    }
}
