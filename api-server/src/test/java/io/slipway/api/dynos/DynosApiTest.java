package io.slipway.api.dynos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestDeploys;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

class DynosApiTest extends ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDK = "application/vnd.heroku+json; version=3.sdk";

    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void listsTheFormationsDynosWithTheStatesTheirAgentReported() {
        User alice = newUser();
        String app = createApp(alice);
        assertThat(call("GET", "/apps/" + app + "/dynos").as(alice).header("Accept", SDK).send().expect(200).json())
                .isEmpty();
        UUID release = TestDeploys.deploy(context, app, Map.of("web", "npm start", "worker", "node w.js"));
        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"type\":\"worker\",\"quantity\":1}]}").send().expect(200);
        TestDeploys.await("web.1 and worker.1", () -> call("GET", "/apps/" + app + "/dynos").as(alice).send()
                .expect(200).json().size() == 2);
        String agent = newAgentId();
        asAgent(agent, "POST", "/internal/agents")
                .json("{\"agent_id\":\"" + agent + "\",\"host\":\"127.0.0.1\",\"memory_mb\":4096,\"dyno_slots\":32}")
                .send().expect(200);
        UUID web1 = jdbc.queryForObject("SELECT d.id FROM dynos d JOIN apps a ON a.id = d.app_id "
                + "WHERE a.name = ? AND d.name = 'web.1'", UUID.class, app);
        String placedOn = jdbc.queryForObject("SELECT agent_id FROM dynos WHERE id = ?", String.class, web1);
        asAgent(placedOn, "POST", "/internal/agents/" + placedOn + "/dynos/" + web1 + "/state").json("{\"state\":\"up\",\"port\":40100}")
                .send().expect(200);

        Response list = call("GET", "/apps/" + app + "/dynos").as(alice).header("Accept", SDK).send().expect(200)
                .matches("dyno");
        JsonNode dynos = list.json();
        java.util.List<String> names = new java.util.ArrayList<>();
        dynos.forEach(d -> names.add(d.path("name").asText()));
        assertThat(names).containsExactly("web.1", "worker.1");
        JsonNode w1 = dynos.get(0);
        assertThat(w1.path("id").asText()).isEqualTo(web1.toString());
        assertThat(w1.path("type").asText()).isEqualTo("web");
        assertThat(w1.path("command").asText()).isEqualTo("npm start");
        assertThat(w1.path("state").asText()).isEqualTo("up");
        assertThat(w1.path("size").asText()).isEqualTo("Basic");
        assertThat(w1.path("app").path("name").asText()).isEqualTo(app);
        assertThat(w1.path("release").path("id").asText()).isEqualTo(release.toString());
        assertThat(w1.path("attach_url").isNull()).isTrue();
        assertThat(w1.path("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(dynos.get(1).path("state").asText()).isEqualTo("starting");

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
        TestDeploys.deploy(context, app, Map.of("web", "npm start", "worker", "node w.js"));
        TestDeploys.await("web.1", () -> call("GET", "/apps/" + app + "/dynos/web.1").as(alice).send().status() == 200);

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
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        TestDeploys.await("web.1", () -> call("GET", "/apps/" + app + "/dynos/web.1").as(alice).send().status() == 200);
        call("POST", "/apps/" + app + "/dynos").as(alice).json("{\"command\":\"bash\",\"attach\":false}").send()
                .expect(201);

        // ps:stop -p web
        Response type = call("POST", "/apps/" + app + "/formations/web/actions/stop").as(alice).header("Accept", SDK)
                .send().expect(202);
        assertThat(type.json().size()).isZero();
        assertThat(lastEvent(app, "dyno.stop_requested").path("type").asText()).isEqualTo("web");
        // a type known only from its running dynos
        call("POST", "/apps/" + app + "/formations/run/actions/stop").as(alice).send().expect(202);
        assertThat(lastEvent(app, "dyno.stop_requested").path("type").asText()).isEqualTo("run");

        // ps:stop -d web.1
        call("POST", "/apps/" + app + "/dynos/web.1/actions/stop").as(alice).header("Accept", SDK).send().expect(202);
        assertThat(lastEvent(app, "dyno.stop_requested").path("dyno").asText()).isEqualTo("web.1");

        long before = eventCount(app, "dyno.stop_requested");
        call("POST", "/apps/" + app + "/formations/worker/actions/stop").as(alice).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/dynos/web.9/actions/stop").as(alice).send().expectError(404, "not_found");
        assertThat(eventCount(app, "dyno.stop_requested")).isEqualTo(before);
    }

    @Test
    void oneOffDynosNeedADeployedRelease() {
        User alice = newUser();
        String app = createApp(alice);
        Response none = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\",\"env\":{\"TERM\":\"dumb\"}}").send()
                .expectError(422, "invalid_params");
        assertThat(none.json().path("message").asText()).contains("Deploy it first");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        JsonNode attached = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\",\"env\":{\"TERM\":\"dumb\"}}").send()
                .expect(201).matches("dyno").json();
        assertThat(attached.path("name").asText()).matches("run\\.\\d{4}");
        assertThat(attached.path("attach_url").asText()).startsWith("rendezvous://127.0.0.1:");
        JsonNode detached = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":false,\"command\":\"rake db:migrate\",\"size\":\"Huge\"}").send()
                .expectError(422, "invalid_params").json();
        assertThat(detached.path("message").asText()).contains("Unknown dyno size");
    }

    @Test
    void anotherUsersAppIsNotFoundOnEveryEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        TestDeploys.await("web.1", () -> jdbc.queryForObject("SELECT count(*) FROM dynos d JOIN apps a ON a.id = d.app_id "
                + "WHERE a.name = ?", Long.class, app) == 1);
        UUID id = jdbc.queryForObject("SELECT d.id FROM dynos d JOIN apps a ON a.id = d.app_id WHERE a.name = ?",
                UUID.class, app);
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
