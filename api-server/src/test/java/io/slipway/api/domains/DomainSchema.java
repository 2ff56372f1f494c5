package io.slipway.api.domains;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slipway.api.support.HerokuSchema;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code matches("domain")} for domain responses. Heroku's schema declares {@code domain.hostname} with
 * {@code format: uri}, which no bare hostname satisfies under strict format checking (a URI needs a
 * scheme: Heroku's own example {@code subdomain.example.com} fails it). So the hostname is checked here
 * against the hostname rule, and the rest of the object against the official definition, with the
 * hostname swapped for the equivalent {@code http://<hostname>}.
 */
final class DomainSchema {
    private static final String HOSTNAME = "^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$";

    private DomainSchema() {}

    static Response matches(Response response) {
        JsonNode json = response.json();
        List<JsonNode> items = new ArrayList<>();
        if (json.isArray()) {
            assertThat(json.size()).as("need at least one element to validate").isPositive();
            json.forEach(items::add);
        } else {
            items.add(json);
        }
        for (JsonNode item : items) {
            ObjectNode copy = item.deepCopy();
            String hostname = copy.path("hostname").asText();
            assertThat(hostname).as("hostname in %s", item).matches(HOSTNAME);
            copy.put("hostname", "http://" + hostname);
            HerokuSchema.assertMatches("domain", copy.toString());
        }
        return response;
    }
}
