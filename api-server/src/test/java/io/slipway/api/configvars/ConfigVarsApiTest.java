package io.slipway.api.configvars;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.apps.Collaborator;
import io.slipway.api.apps.CollaboratorRepository;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class ConfigVarsApiTest extends ApiTest {
    private static final String NEWEST = "version ..; order=desc,max=1";

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CollaboratorRepository collaborators;

    @Test
    void setsAndReadsConfigVarsAsTheCliDoes() {
        User alice = newUser();
        String app = createApp(alice);

        Response set = call("PATCH", "/apps/" + app + "/config-vars").as(alice)
                .json("{\"FOO\":\"bar\",\"BAZ\":\"qux = 1\",\"EMPTY\":\"\"}").send().expect(200).matches("config-var");
        assertConfigVars(set.json());
        assertThat(set.json().path("FOO").asText()).isEqualTo("bar");
        assertThat(set.json().path("BAZ").asText()).isEqualTo("qux = 1");
        assertThat(set.json().has("EMPTY")).isTrue();

        Response get = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).matches("config-var");
        assertConfigVars(get.json());
        assertThat(fieldNames(get.json())).containsExactly("BAZ", "EMPTY", "FOO");

        // what config:set reads next: the newest release, element 0
        Response newest = call("GET", "/apps/" + app + "/releases").as(alice).header("Range", NEWEST)
                .header("Accept", "application/vnd.heroku+json; version=3.sdk").send().expect(206).matches("release");
        assertThat(newest.json()).hasSize(1);
        assertThat(newest.json().get(0).path("version").asInt()).isEqualTo(2);
        assertThat(newest.json().get(0).path("description").asText()).isEqualTo("Set FOO, BAZ, EMPTY config vars");
    }

    @Test
    void unsetRemovesKeysAndIsAReleaseToo() {
        User alice = newUser();
        String app = createApp(alice);
        patch(alice, app, "{\"FOO\":\"1\",\"BAR\":\"2\"}").expect(200);

        Response unset = patch(alice, app, "{\"FOO\":null}").expect(200).matches("config-var");
        assertThat(fieldNames(unset.json())).containsExactly("BAR");
        assertThat(newest(alice, app).path("version").asInt()).isEqualTo(3);
        assertThat(newest(alice, app).path("description").asText()).isEqualTo("Remove FOO config vars");

        patch(alice, app, "{\"BAR\":\"3\",\"BAR_NEW\":\"x\",\"BAR\":\"3\"}").expect(200);
        patch(alice, app, "{\"BAR\":null,\"NEW\":\"y\"}").expect(200);
        assertThat(newest(alice, app).path("description").asText()).isEqualTo("Set NEW and remove BAR config vars");
    }

    @Test
    void aChangeThatChangesNothingMakesNoRelease() {
        User alice = newUser();
        String app = createApp(alice);
        patch(alice, app, "{\"FOO\":\"1\"}").expect(200);
        long events = releaseEvents(app);

        patch(alice, app, "{\"FOO\":\"1\"}").expect(200);
        patch(alice, app, "{\"ABSENT\":null}").expect(200);
        Response empty = patch(alice, app, "{}").expect(200).matches("config-var");
        assertThat(empty.json().path("FOO").asText()).isEqualTo("1");
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).send().expect(200);

        assertThat(newest(alice, app).path("version").asInt()).isEqualTo(2);
        assertThat(releaseEvents(app)).isEqualTo(events);
    }

    @Test
    void refusesBadNamesAndValuesWithoutChangingAnything() {
        User alice = newUser();
        String app = createApp(alice);
        patch(alice, app, "{\"KEEP\":\"1\"}").expect(200);

        Response badKey = patch(alice, app, "{\"OK\":\"1\",\"BAD-KEY\":\"x\"}").expectError(422, "invalid_params");
        assertThat(badKey.json().path("message").asText()).contains("BAD-KEY");
        patch(alice, app, "{\"1ABC\":\"x\"}").expectError(422, "invalid_params");
        patch(alice, app, "{\"\":\"x\"}").expectError(422, "invalid_params");
        patch(alice, app, "{\"SP ACE\":null}").expectError(422, "invalid_params");
        Response number = patch(alice, app, "{\"PORT\":5000}").expectError(422, "invalid_params");
        assertThat(number.json().path("message").asText()).contains("PORT");
        patch(alice, app, "{\"FLAG\":true}").expectError(422, "invalid_params");
        patch(alice, app, "{\"OBJ\":{\"a\":\"b\"}}").expectError(422, "invalid_params");
        patch(alice, app, "{\"ARR\":[\"a\"]}").expectError(422, "invalid_params");
        patch(alice, app, "{\"NUL\":\"a\\u0000b\"}").expectError(422, "invalid_params");
        patch(alice, app, "{\"" + "K".repeat(257) + "\":\"x\"}").expectError(422, "invalid_params");
        patch(alice, app, "[\"FOO\"]").expectError(422, "invalid_params");
        patch(alice, app, "\"FOO\"").expectError(422, "invalid_params");
        patch(alice, app, "{\"FOO\":").expectError(400, "bad_request");

        Response get = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200);
        assertThat(fieldNames(get.json())).containsExactly("KEEP");
        assertThat(newest(alice, app).path("version").asInt()).isEqualTo(2);
    }

    @Test
    void keepsTheTotalWithin32Kilobytes() {
        User alice = newUser();
        String app = createApp(alice);
        String big = "x".repeat(20_000);
        patch(alice, app, "{\"A\":\"" + big + "\"}").expect(200);
        Response tooBig = patch(alice, app, "{\"B\":\"" + big + "\"}").expectError(422, "invalid_params");
        assertThat(tooBig.json().path("message").asText()).contains("32768").doesNotContain(big);
        // replacing the big value with another one of the same size is fine: the limit is on the result
        patch(alice, app, "{\"A\":null,\"B\":\"" + big + "\"}").expect(200);
        Response get = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200);
        assertThat(fieldNames(get.json())).containsExactly("B");
    }

    @Test
    void showsTheConfigSnapshotOfEachRelease() {
        User alice = newUser();
        String app = createApp(alice);
        patch(alice, app, "{\"FOO\":\"1\"}").expect(200);
        patch(alice, app, "{\"FOO\":null,\"BAR\":\"2\"}").expect(200);

        Response v1 = call("GET", "/apps/" + app + "/releases/1/config-vars").as(alice).send().expect(200)
                .matches("config-var");
        assertThat(v1.json().size()).isZero();
        Response v2 = call("GET", "/apps/" + app + "/releases/2/config-vars").as(alice).send().expect(200)
                .matches("config-var");
        assertConfigVars(v2.json());
        assertThat(fieldNames(v2.json())).containsExactly("FOO");
        String v3Id = call("GET", "/apps/" + app + "/releases/3").as(alice).send().expect(200).json().path("id").asText();
        Response v3 = call("GET", "/apps/" + app + "/releases/" + v3Id + "/config-vars").as(alice).send().expect(200);
        assertThat(fieldNames(v3.json())).containsExactly("BAR");

        call("GET", "/apps/" + app + "/releases/9/config-vars").as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/" + UUID.randomUUID() + "/config-vars").as(alice).send()
                .expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/nope/config-vars").as(alice).send().expectError(404, "not_found");
    }

    @Test
    void anotherUsersAppIsNotFoundOnEveryEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        patch(alice, app, "{\"SECRET\":\"s3cr3t\"}").expect(200);

        Response get = call("GET", "/apps/" + app + "/config-vars").as(mallory).send().expectError(404, "not_found");
        assertThat(get.body()).doesNotContain("s3cr3t");
        patch(mallory, app, "{\"SECRET\":\"mine\"}").expectError(404, "not_found");
        patch(mallory, app, "{\"BAD-KEY\":1}").expect(404);
        call("GET", "/apps/" + app + "/releases/2/config-vars").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/config-vars").send().expectError(401, "unauthorized");

        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().path("SECRET").asText())
                .isEqualTo("s3cr3t");
    }

    @Test
    void collaboratorsManageConfigToo() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        String appId = call("GET", "/apps/" + app).as(alice).send().json().path("id").asText();
        collaborators.save(new Collaborator(UUID.fromString(appId), bob.id()));

        patch(bob, app, "{\"FROM_BOB\":\"yes\"}").expect(200);
        JsonNode release = newest(alice, app);
        assertThat(release.path("user").path("email").asText()).isEqualTo(bob.email());
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().path("FROM_BOB").asText())
                .isEqualTo("yes");
    }

    @Test
    void concurrentChangesAreSerializedAndNoneIsLost() throws Exception {
        User alice = newUser();
        String app = createApp(alice);
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"KEY_" + i + "\":\"" + i + "\"}";
                statuses.add(pool.submit(() -> patch(alice, app, body).status()));
            }
            for (var status : statuses) assertThat(status.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
        JsonNode config = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.size()).isEqualTo(writers);
        JsonNode all = call("GET", "/apps/" + app + "/releases").as(alice).send().expect(200).json();
        assertThat(all).hasSize(writers + 1);
        assertThat(all.get(writers).path("version").asInt()).isEqualTo(writers + 1);
    }

    private String createApp(User user) {
        String name = uniqueAppName("cfg");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private Response patch(User user, String app, String body) {
        return call("PATCH", "/apps/" + app + "/config-vars").as(user).json(body).send();
    }

    private JsonNode newest(User user, String app) {
        // 206: v1 ("Initial release") always remains beyond the one-element page
        return call("GET", "/apps/" + app + "/releases").as(user).header("Range", NEWEST).send().expect(206).json().get(0);
    }

    private long releaseEvents(String app) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE app_name = ? AND type = 'release.created'",
                Long.class, app);
    }

    /** Heroku's config_vars definition: keys match ^\w+$, values are strings. */
    private static void assertConfigVars(JsonNode json) {
        assertThat(json.isObject()).isTrue();
        json.fields().forEachRemaining(e -> {
            assertThat(e.getKey()).matches("^\\w+$");
            assertThat(e.getValue().isTextual()).as("value of %s", e.getKey()).isTrue();
        });
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
