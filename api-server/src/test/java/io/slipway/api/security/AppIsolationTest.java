package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A user who neither owns nor collaborates on an app gets {@code 404 not_found} on every app endpoint, exactly
 * as for an app that does not exist, and changes nothing. Bodies are valid, so only the access check can refuse.
 */
class AppIsolationTest extends ApiTest {
    private record Endpoint(String method, String path, String body) {}

    private static List<Endpoint> endpoints(String app) {
        String a = "/apps/" + app;
        return List.of(
                new Endpoint("GET", a, null),
                new Endpoint("PATCH", a, "{\"maintenance\":true}"),
                new Endpoint("DELETE", a, null),
                new Endpoint("GET", a + "/config-vars", null),
                new Endpoint("PATCH", a + "/config-vars", "{\"STOLEN\":\"1\"}"),
                new Endpoint("GET", a + "/releases", null),
                new Endpoint("GET", a + "/releases/1", null),
                new Endpoint("GET", a + "/releases/1/config-vars", null),
                new Endpoint("POST", a + "/releases", "{\"release\":\"1\"}"),
                new Endpoint("GET", a + "/formation", null),
                new Endpoint("GET", a + "/formation/web", null),
                new Endpoint("PATCH", a + "/formation", "{\"updates\":[{\"type\":\"web\",\"quantity\":\"2\"}]}"),
                new Endpoint("PATCH", a + "/formation/web", "{\"quantity\":2}"),
                new Endpoint("GET", a + "/dynos", null),
                new Endpoint("GET", a + "/dynos/web.1", null),
                new Endpoint("POST", a + "/dynos", "{\"command\":\"ls\",\"attach\":false}"),
                new Endpoint("DELETE", a + "/dynos", null),
                new Endpoint("DELETE", a + "/dynos/web.1", null),
                new Endpoint("DELETE", a + "/formations/web", null),
                new Endpoint("POST", a + "/dynos/web.1/actions/stop", null),
                new Endpoint("POST", a + "/formations/web/actions/stop", null),
                new Endpoint("GET", a + "/domains", null),
                new Endpoint("GET", a + "/domains/" + app + ".localhost", null),
                new Endpoint("POST", a + "/domains", "{\"hostname\":\"www.isolation-test.example.com\",\"sni_endpoint\":null}"),
                new Endpoint("DELETE", a + "/domains/" + app + ".localhost", null),
                new Endpoint("GET", a + "/collaborators", null),
                new Endpoint("POST", a + "/collaborators", "{\"user\":\"nobody@example.com\"}"),
                new Endpoint("GET", a + "/log-drains", null),
                new Endpoint("POST", a + "/log-drains", "{\"url\":\"https://logs.example.com/x\"}"),
                new Endpoint("GET", a + "/features", null),
                new Endpoint("GET", a + "/buildpack-installations", null),
                new Endpoint("PUT", a + "/buildpack-installations", "{\"updates\":[{\"buildpack\":\"heroku/nodejs\"}]}"),
                new Endpoint("GET", a + "/addons", null),
                new Endpoint("POST", a + "/addons", "{\"plan\":{\"name\":\"heroku-postgresql\"}}"),
                new Endpoint("GET", a + "/addon-attachments", null),
                new Endpoint("GET", a + "/builds", null),
                new Endpoint("GET", a + "/builds/01234567-89ab-cdef-0123-456789abcdef", null),
                new Endpoint("POST", a + "/builds", "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}"),
                new Endpoint("DELETE", a + "/build-cache", null),
                new Endpoint("POST", a + "/slugs", "{\"process_types\":{\"web\":\"x\"}}"),
                new Endpoint("GET", a + "/slugs/01234567-89ab-cdef-0123-456789abcdef", null),
                new Endpoint("POST", a + "/releases", "{\"slug\":\"01234567-89ab-cdef-0123-456789abcdef\"}"));
    }

    @Test
    void anotherUsersAppAnswersLikeAMissingOneEverywhere() {
        User alice = newUser();
        User mallory = newUser();
        String app = uniqueAppName("private");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        String configBefore = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).body();

        List<String> leaks = new ArrayList<>();
        for (Endpoint e : endpoints(app)) {
            var c = call(e.method(), e.path()).as(mallory);
            if (e.body() != null) c.json(e.body());
            Response r = c.send();
            if (r.status() != 404 || !r.json().path("id").asText().equals("not_found")) {
                leaks.add(e.method() + " " + e.path() + " -> " + r.status() + " " + r.body());
            }
            // a missing app answers the same
            var missing = call(e.method(), e.path().replace(app, uniqueAppName("missing"))).as(mallory);
            if (e.body() != null) missing.json(e.body());
            assertThat(missing.send().status()).as("missing app on %s %s", e.method(), e.path()).isEqualTo(404);
        }
        assertThat(leaks).as("endpoints that did not answer 404 not_found to a stranger").isEmpty();

        Response after = call("GET", "/apps/" + app).as(alice).send().expect(200);
        assertThat(after.json().path("maintenance").asBoolean()).isFalse();
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().body()).isEqualTo(configBefore);
    }
}
