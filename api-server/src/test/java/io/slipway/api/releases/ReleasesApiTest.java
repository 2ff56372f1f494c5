package io.slipway.api.releases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class ReleasesApiTest extends ApiTest {
    private static final String SDK = "application/vnd.heroku+json; version=3.sdk";

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void listsReleasesNewestFirstAsTheCliAsks() {
        User alice = newUser();
        String app = createApp(alice);
        setConfig(alice, app, "{\"A\":\"1\"}");
        setConfig(alice, app, "{\"B\":\"2\"}");
        setConfig(alice, app, "{\"A\":null}");

        Response list = call("GET", "/apps/" + app + "/releases").as(alice).header("Accept", SDK)
                .header("Range", "version ..; max=15, order=desc").send().expect(200).matches("release");
        JsonNode releases = list.json();
        assertThat(versions(releases)).containsExactly(4, 3, 2, 1);
        assertThat(releases.get(0).path("current").asBoolean()).isTrue();
        for (int i = 1; i < releases.size(); i++) assertThat(releases.get(i).path("current").asBoolean()).isFalse();
        for (JsonNode r : releases) assertThat(r.path("eligible_for_rollback").asBoolean()).isTrue();
        assertThat(releases.get(0).path("description").asText()).isEqualTo("Remove A config vars");
        assertThat(releases.get(3).path("description").asText()).isEqualTo("Initial release");
        JsonNode newest = releases.get(0);
        assertThat(newest.path("user").path("email").asText()).isEqualTo(alice.email());
        assertThat(newest.path("user").path("id").asText()).isEqualTo(alice.id().toString());
        assertThat(newest.path("app").path("name").asText()).isEqualTo(app);
        assertThat(newest.path("status").asText()).isEqualTo("succeeded");
        assertThat(newest.path("slug").isNull()).isTrue();
        assertThat(newest.path("output_stream_url").isNull()).isTrue();
        assertThat(newest.path("addon_plan_names").isArray()).isTrue();
        assertThat(newest.path("artifacts").isArray()).isTrue();
        assertThat(newest.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(list.header("Content-Range")).isEqualTo("version 4..1; max=15");

        Response defaultOrder = call("GET", "/apps/" + app + "/releases").as(alice).send().expect(200).matches("release");
        assertThat(versions(defaultOrder.json())).containsExactly(1, 2, 3, 4);
    }

    @Test
    void pagesWithNextRangeUntilTheLastPage() {
        User alice = newUser();
        String app = createApp(alice);
        for (int i = 0; i < 4; i++) setConfig(alice, app, "{\"N\":\"" + i + "\"}");

        List<Integer> seen = new ArrayList<>();
        String range = "version ..; max=2, order=desc";
        int pages = 0;
        while (range != null && pages++ < 10) {
            Response page = call("GET", "/apps/" + app + "/releases").as(alice).header("Range", range).send();
            assertThat(page.status()).isIn(200, 206);
            seen.addAll(versions(page.json()));
            range = page.header("Next-Range");
            assertThat(page.status() == 206).isEqualTo(range != null);
        }
        assertThat(seen).containsExactly(5, 4, 3, 2, 1);
        assertThat(pages).isEqualTo(3);

        Response byId = call("GET", "/apps/" + app + "/releases").as(alice).header("Range", "id ..; max=1000").send()
                .expect(200).matches("release");
        assertThat(byId.json()).hasSize(5);
        call("GET", "/apps/" + app + "/releases").as(alice).header("Range", "name ..").send().expectError(400, "bad_request");
        call("GET", "/apps/" + app + "/releases").as(alice).header("Range", "version abc..").send()
                .expectError(400, "bad_request");
    }

    @Test
    void showsOneReleaseByVersionOrId() {
        User alice = newUser();
        String app = createApp(alice);
        setConfig(alice, app, "{\"A\":\"1\"}");

        Response v1 = call("GET", "/apps/" + app + "/releases/1").as(alice).header("Accept", SDK).send().expect(200)
                .matches("release");
        assertThat(v1.json().path("version").asInt()).isEqualTo(1);
        assertThat(v1.json().path("current").asBoolean()).isFalse();
        String id = v1.json().path("id").asText();
        assertThat(call("GET", "/apps/" + app + "/releases/" + id).as(alice).send().expect(200).matches("release")
                .json().path("version").asInt()).isEqualTo(1);
        assertThat(call("GET", "/apps/" + app + "/releases/v2").as(alice).send().expect(200).json()
                .path("current").asBoolean()).isTrue();

        call("GET", "/apps/" + app + "/releases/3").as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/" + UUID.randomUUID()).as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/latest").as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/99999999999999").as(alice).send().expectError(404, "not_found");
        // another app's release id is not found through this app
        String other = createApp(alice);
        call("GET", "/apps/" + other + "/releases/" + id).as(alice).send().expectError(404, "not_found");
    }

    @Test
    void rollsBackToAnEarlierReleaseAsANewRelease() {
        User alice = newUser();
        String app = createApp(alice);
        setConfig(alice, app, "{\"FOO\":\"one\"}");
        setConfig(alice, app, "{\"FOO\":\"two\",\"BAR\":\"x\"}");
        String v2 = release(alice, app, "2").path("id").asText();

        // what `heroku rollback v2` sends
        Response rolled = call("POST", "/apps/" + app + "/releases").as(alice).header("Accept", SDK)
                .json("{\"release\":\"" + v2 + "\"}").send().expect(201).matches("release");
        assertThat(rolled.json().path("version").asInt()).isEqualTo(4);
        assertThat(rolled.json().path("description").asText()).isEqualTo("Rollback to v2");
        assertThat(rolled.json().path("current").asBoolean()).isTrue();
        assertThat(rolled.json().path("user").path("email").asText()).isEqualTo(alice.email());

        JsonNode config = call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.path("FOO").asText()).isEqualTo("one");
        assertThat(config.has("BAR")).isFalse();
        JsonNode snapshot = call("GET", "/apps/" + app + "/releases/4/config-vars").as(alice).send().expect(200).json();
        assertThat(snapshot.path("FOO").asText()).isEqualTo("one");
        assertThat(release(alice, app, "3").path("current").asBoolean()).isFalse();

        // the next config change builds on the rolled-back config
        setConfig(alice, app, "{\"BAZ\":\"z\"}");
        JsonNode after = call("GET", "/apps/" + app + "/config-vars").as(alice).send().json();
        assertThat(after.path("FOO").asText()).isEqualTo("one");
        assertThat(after.has("BAR")).isFalse();
    }

    @Test
    void rollbackWithoutAVersionTakesThePreviousRelease() {
        User alice = newUser();
        String app = createApp(alice);
        setConfig(alice, app, "{\"FOO\":\"one\"}");
        setConfig(alice, app, "{\"FOO\":\"two\"}");

        // the CLI: list max=10 newest first, second succeeded (or eligible) release
        JsonNode list = call("GET", "/apps/" + app + "/releases").as(alice)
                .header("Range", "version ..; max=10, order=desc").send().expect(200).json();
        List<JsonNode> succeeded = new ArrayList<>();
        List<JsonNode> eligible = new ArrayList<>();
        list.forEach(r -> {
            if (r.path("status").asText().equals("succeeded")) succeeded.add(r);
            if (r.path("eligible_for_rollback").asBoolean()) eligible.add(r);
        });
        assertThat(succeeded.get(1).path("version").asInt()).isEqualTo(2);
        assertThat(eligible.get(1).path("version").asInt()).isEqualTo(2);

        call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"release\":\"" + eligible.get(1).path("id").asText() + "\"}").send().expect(201);
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().path("FOO").asText())
                .isEqualTo("one");
    }

    @Test
    void rollsBackByVersionAndToTheCurrentRelease() {
        User alice = newUser();
        String app = createApp(alice);
        setConfig(alice, app, "{\"FOO\":\"one\"}");

        Response toCurrent = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":2}").send()
                .expect(201).matches("release");
        assertThat(toCurrent.json().path("description").asText()).isEqualTo("Rollback to v2");
        assertThat(toCurrent.json().path("version").asInt()).isEqualTo(3);

        Response toV1 = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"v1\"}").send()
                .expect(201);
        assertThat(toV1.json().path("description").asText()).isEqualTo("Rollback to v1");
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().size()).isZero();

        Response described = call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"release\":\"2\",\"description\":\"back to one\"}").send().expect(201);
        assertThat(described.json().path("description").asText()).isEqualTo("back to one");
    }

    @Test
    void rollbackCarriesTheTargetsSlugAndConfigChangesKeepTheCurrentOne() {
        User alice = newUser();
        String app = createApp(alice);
        UUID slug = UUID.randomUUID();
        insertRelease(app, 2, "Deploy abc1234", "succeeded", slug, "{\"FOO\":\"deployed\"}", alice.id());
        setConfig(alice, app, "{\"FOO\":\"changed\"}");

        JsonNode v3 = release(alice, app, "3");
        assertThat(v3.path("slug").path("id").asText()).isEqualTo(slug.toString());
        assertThat(v3.path("artifacts").get(0).path("type").asText()).isEqualTo("slug");
        assertThat(v3.path("artifacts").get(0).path("id").asText()).isEqualTo(slug.toString());

        Response toV1 = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"1\"}").send()
                .expect(201).matches("release");
        assertThat(toV1.json().path("slug").isNull()).isTrue();
        Response toV2 = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"2\"}").send()
                .expect(201).matches("release");
        assertThat(toV2.json().path("slug").path("id").asText()).isEqualTo(slug.toString());
        assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().json().path("FOO").asText())
                .isEqualTo("deployed");
    }

    @Test
    void aFailedReleaseIsNeitherCurrentNorEligible() {
        User alice = newUser();
        String app = createApp(alice);
        setConfig(alice, app, "{\"FOO\":\"one\"}");
        insertRelease(app, 3, "Deploy bad", "failed", UUID.randomUUID(), "{}", alice.id());

        JsonNode list = call("GET", "/apps/" + app + "/releases").as(alice)
                .header("Range", "version ..; max=15, order=desc").send().expect(200).matches("release").json();
        assertThat(list.get(0).path("version").asInt()).isEqualTo(3);
        assertThat(list.get(0).path("current").asBoolean()).isFalse();
        assertThat(list.get(0).path("eligible_for_rollback").asBoolean()).isFalse();
        assertThat(list.get(1).path("current").asBoolean()).isTrue();
        assertThat(release(alice, app, "2").path("current").asBoolean()).isTrue();

        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":3}").send()
                .expectError(422, "invalid_params");
    }

    @Test
    void aReleaseWhoseUserIsGoneStillMatchesTheSchema() {
        User alice = newUser();
        String app = createApp(alice);
        insertRelease(app, 2, "Deploy by a deleted account", "succeeded", null, "{}", null);
        Response v2 = call("GET", "/apps/" + app + "/releases/2").as(alice).send().expect(200).matches("release");
        assertThat(v2.json().path("user").isObject()).isTrue();
        assertThat(v2.json().path("user").size()).isZero();
    }

    @Test
    void refusesBadRollbackRequests() {
        User alice = newUser();
        String app = createApp(alice);
        String other = createApp(alice);
        String otherV1 = release(alice, other, "1").path("id").asText();

        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"7\"}").send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"" + UUID.randomUUID() + "\"}").send()
                .expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"" + otherV1 + "\"}").send()
                .expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/releases").as(alice).send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":true}").send()
                .expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"1\",\"description\":5}").send()
                .expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"1\",\"slug\":\"" + UUID.randomUUID() + "\"}")
                .send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":").send().expectError(400, "bad_request");
        Response slug = call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"slug\":\"" + UUID.randomUUID() + "\",\"description\":\"x\"}").send().expectError(404, "not_found");
        assertThat(slug.json().path("message").asText()).isEqualTo("Couldn't find that slug.");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":{\"id\":\"" + UUID.randomUUID() + "\"}}")
                .send().expectError(404, "not_found");

        // nothing above made a release
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
    }

    @Test
    void anotherUsersAppIsNotFoundOnEveryEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        String v1 = release(alice, app, "1").path("id").asText();

        call("GET", "/apps/" + app + "/releases").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/1").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases/" + v1).as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(mallory).json("{\"release\":\"" + v1 + "\"}").send()
                .expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(mallory).json("{}").send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/releases").send().expectError(401, "unauthorized");
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
    }

    private String createApp(User user) {
        String name = uniqueAppName("rel");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private void setConfig(User user, String app, String body) {
        call("PATCH", "/apps/" + app + "/config-vars").as(user).json(body).send().expect(200);
    }

    private JsonNode release(User user, String app, String identity) {
        return call("GET", "/apps/" + app + "/releases/" + identity).as(user).send().expect(200).json();
    }

    /** What a deploy (a later issue) will record; here straight into the table. */
    private void insertRelease(String app, int version, String description, String status, UUID slug, String config,
                               UUID user) {
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO releases (id, app_id, version, description, status, slug_id, config_vars, user_id, "
                        + "created_at, updated_at) SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ? FROM apps WHERE name = ?",
                UUID.randomUUID(), version, description, status, slug, config, user, now, now, app);
        jdbc.update("UPDATE apps SET config_vars = ? WHERE name = ?", config, app);
    }

    private static List<Integer> versions(JsonNode releases) {
        List<Integer> versions = new ArrayList<>();
        releases.forEach(r -> versions.add(r.path("version").asInt()));
        return versions;
    }
}
