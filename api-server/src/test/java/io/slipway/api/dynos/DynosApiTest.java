package io.slipway.api.dynos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class DynosApiTest extends ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDK = "application/vnd.heroku+json; version=3.sdk";

    @Autowired
    DefineProcessTypes defineProcessTypes;
    @Autowired
    AppRepository apps;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void listsTheDynosTheRuntimeRecorded() {
        User alice = newUser();
        String app = createApp(alice);
        assertThat(call("GET", "/apps/" + app + "/dynos").as(alice).header("Accept", SDK).send().expect(200).json())
                .isEmpty();
        UUID web1 = insertDyno(app, "web.1", "web", "npm start", "up", true);
        insertDyno(app, "web.2", "web", "npm start", "starting", false);
        insertDyno(app, "run.4821", "run", "bash", "up", true);

        Response list = call("GET", "/apps/" + app + "/dynos").as(alice).header("Accept", SDK).send().expect(200)
                .matches("dyno");
        JsonNode dynos = list.json();
        assertThat(dynos).hasSize(3);
        java.util.List<String> names = new java.util.ArrayList<>();
        dynos.forEach(d -> names.add(d.path("name").asText()));
        assertThat(names).containsExactly("run.4821", "web.1", "web.2");
        JsonNode w1 = dynos.get(1);
        assertThat(w1.path("id").asText()).isEqualTo(web1.toString());
        assertThat(w1.path("type").asText()).isEqualTo("web");
        assertThat(w1.path("command").asText()).isEqualTo("npm start");
        assertThat(w1.path("state").asText()).isEqualTo("up");
        assertThat(w1.path("size").asText()).isEqualTo("Basic");
        assertThat(w1.path("app").path("name").asText()).isEqualTo(app);
        assertThat(w1.path("release").path("version").asInt()).isEqualTo(1);
        assertThat(w1.path("attach_url").isNull()).isTrue();
        assertThat(w1.path("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(dynos.get(2).has("release")).isFalse();

        Response byName = call("GET", "/apps/" + app + "/dynos/web.1").as(alice).send().expect(200).matches("dyno");
        assertThat(byName.json().path("id").asText()).isEqualTo(web1.toString());
        call("GET", "/apps/" + app + "/dynos/" + web1).as(alice).send().expect(200).matches("dyno");
        call("GET", "/apps/" + app + "/dynos/web.9").as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/dynos/" + UUID.randomUUID()).as(alice).send().expectError(404, "not_found");
        String other = createApp(alice);
        call("GET", "/apps/" + other + "/dynos/" + web1).as(alice).send().expectError(404, "not_found");
    }

    @Test
    void restartsAreRecordedForTheRuntime() {
        User alice = newUser();
        String app = createApp(alice);
        defineProcessTypes.define(apps.findByName(app).orElseThrow(), Map.of("web", "npm start", "worker", "node w.js"));
        insertDyno(app, "web.1", "web", "npm start", "up", true);

        // ps:restart
        Response all = call("DELETE", "/apps/" + app + "/dynos").as(alice).header("Accept", SDK).send().expect(202);
        assertThat(all.json().isObject()).isTrue();
        assertThat(all.json().size()).isZero();
        assertThat(lastEvent(app, "dyno.restart_requested").size()).isZero();

        // ps:restart -p worker (no dyno runs it yet: the formation knows the type)
        call("DELETE", "/apps/" + app + "/formations/worker").as(alice).header("Accept", SDK).send().expect(202);
        assertThat(lastEvent(app, "dyno.restart_requested").path("type").asText()).isEqualTo("worker");

        // ps:restart -d web.1
        call("DELETE", "/apps/" + app + "/dynos/web.1").as(alice).header("Accept", SDK).send().expect(202);
        JsonNode event = lastEvent(app, "dyno.restart_requested");
        assertThat(event.path("dyno").asText()).isEqualTo("web.1");
        assertThat(event.has("type")).isFalse();

        long before = eventCount(app, "dyno.restart_requested");
        call("DELETE", "/apps/" + app + "/formations/clock").as(alice).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/dynos/web.7").as(alice).send().expectError(404, "not_found");
        assertThat(eventCount(app, "dyno.restart_requested")).isEqualTo(before);
    }

    @Test
    void stopsAreRecordedForTheRuntime() {
        User alice = newUser();
        String app = createApp(alice);
        defineProcessTypes.define(apps.findByName(app).orElseThrow(), Map.of("web", "npm start"));
        insertDyno(app, "web.2", "web", "npm start", "up", true);
        insertDyno(app, "run.1", "run", "bash", "up", false);

        // ps:stop -p web
        Response type = call("POST", "/apps/" + app + "/formations/web/actions/stop").as(alice).header("Accept", SDK)
                .send().expect(202);
        assertThat(type.json().size()).isZero();
        assertThat(lastEvent(app, "dyno.stop_requested").path("type").asText()).isEqualTo("web");
        // a type known only from its running dynos
        call("POST", "/apps/" + app + "/formations/run/actions/stop").as(alice).send().expect(202);
        assertThat(lastEvent(app, "dyno.stop_requested").path("type").asText()).isEqualTo("run");

        // ps:stop -d web.2
        call("POST", "/apps/" + app + "/dynos/web.2/actions/stop").as(alice).header("Accept", SDK).send().expect(202);
        assertThat(lastEvent(app, "dyno.stop_requested").path("dyno").asText()).isEqualTo("web.2");

        long before = eventCount(app, "dyno.stop_requested");
        call("POST", "/apps/" + app + "/formations/worker/actions/stop").as(alice).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/dynos/web.1/actions/stop").as(alice).send().expectError(404, "not_found");
        assertThat(eventCount(app, "dyno.stop_requested")).isEqualTo(before);
    }

    @Test
    void oneOffDynosSayTheyAreNotAvailableYet() {
        User alice = newUser();
        String app = createApp(alice);
        Response run = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\",\"env\":{\"TERM\":\"dumb\"}}").send()
                .expectError(422, "invalid_params");
        assertThat(run.json().path("message").asText()).contains("heroku run").contains("not available yet");
    }

    @Test
    void anotherUsersAppIsNotFoundOnEveryEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        defineProcessTypes.define(apps.findByName(app).orElseThrow(), Map.of("web", "npm start"));
        UUID id = insertDyno(app, "web.1", "web", "npm start", "up", true);
        long before = eventCount(app, "dyno.restart_requested") + eventCount(app, "dyno.stop_requested");

        call("GET", "/apps/" + app + "/dynos").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/dynos/web.1").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/dynos/" + id).as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/dynos").as(mallory).json("{\"command\":\"bash\"}").send()
                .expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/dynos").as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/dynos/web.1").as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/formations/web").as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/dynos/web.1/actions/stop").as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/formations/web/actions/stop").as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/dynos").send().expectError(401, "unauthorized");

        assertThat(eventCount(app, "dyno.restart_requested") + eventCount(app, "dyno.stop_requested")).isEqualTo(before);
    }

    private String createApp(User user) {
        String name = uniqueAppName("dyn");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    /** What the runtime will report; here straight into the table. */
    private UUID insertDyno(String app, String name, String type, String command, String state, boolean withRelease) {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO dynos (id, app_id, release_id, name, type, command, size, state, created_at, updated_at) "
                        + "SELECT ?, a.id, " + (withRelease ? "(SELECT r.id FROM releases r WHERE r.app_id = a.id AND r.version = 1)" : "NULL")
                        + ", ?, ?, ?, 'Basic', ?, ?, ? FROM apps a WHERE a.name = ?",
                id, name, type, command, state, now, now, app);
        return id;
    }

    private long eventCount(String app, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE app_name = ? AND type = ?", Long.class, app, type);
    }

    private JsonNode lastEvent(String app, String type) {
        String payload = jdbc.queryForObject("SELECT payload FROM events WHERE app_name = ? AND type = ? "
                + "ORDER BY seq DESC LIMIT 1", String.class, app, type);
        try {
            return JSON.readTree(payload);
        } catch (Exception e) {
            throw new AssertionError(payload, e);
        }
    }
}
