package io.slipway.api.scheduler;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.Response;
import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The runtime end to end through the internal API, as dyno-agents and the router use it: agents register and
 * heartbeat, the scheduler places the formation on them, agents report states, routes follow. Each test starts
 * from no agents and no dynos (other tests' formations scaled to 0), because placement is global.
 */
class RuntimeApiTest extends StorageApiTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @BeforeEach
    void noOtherRuntime() {
        jdbc.update("UPDATE formations SET quantity = 0 WHERE quantity > 0");
        jdbc.update("DELETE FROM dynos");
        jdbc.update("DELETE FROM agents");
    }

    @Test
    void agentRegistersHeartbeatsRunsItsAssignmentsAndReportsStates() {
        String agent = register(newAgentId(), 4096, 32);
        String unregistered = newAgentId();
        asAgent(unregistered, "POST", "/internal/agents/" + unregistered + "/heartbeat").json("{\"dynos\":[]}").send()
                .expectError(404, "not_found");
        assertThat(asAgent(agent, "POST", "/internal/agents/" + agent + "/heartbeat").json("{\"dynos\":[]}").send().expect(200)
                .json().size()).isZero();
        asAgent(agent, "POST", "/internal/agents").json("{\"agent_id\":\"" + agent + "\",\"memory_mb\":1,\"dyno_slots\":1}")
                .send().expectError(422, "invalid_params");
        internalCall("POST", "/internal/agents").json("{}").send().expectError(401, "unauthorized");

        User alice = newUser();
        String app = createApp(alice, "rt");
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"GREETING\":\"hello\"}").send().expect(200);
        UUID release = TestDeploys.deploy(context, app, Map.of("web", "npm start", "worker", "node worker.js"));

        JsonNode web = awaitAssignment(agent, app, "web.1");
        assertThat(web.path("type").asText()).isEqualTo("web");
        assertThat(web.path("command").asText()).isEqualTo("npm start");
        assertThat(web.path("size").asText()).isEqualTo("Basic");
        assertThat(web.path("memory_mb").asInt()).isEqualTo(512);
        assertThat(web.path("max_pids").asInt()).isPositive();
        assertThat(web.path("release_id").asText()).isEqualTo(release.toString());
        assertThat(web.path("release_version").asInt()).isEqualTo(3);
        assertThat(web.path("slug").path("url").asText()).contains("/slugs/").contains(".tgz");
        assertThat(web.path("slug").path("checksum").asText()).isEqualTo(TestDeploys.CHECKSUM);
        assertThat(web.path("env").path("GREETING").asText()).isEqualTo("hello");
        assertThat(web.path("desired_state").asText()).isEqualTo("up");
        assertThat(web.path("restart_generation").asInt()).isZero();
        assertThat(web.path("one_off").asBoolean()).isFalse();
        assertThat(web.path("attach").isNull()).isTrue();
        assertThat(assignments(agent).path("seq").asLong()).isPositive();
        // worker is defined with quantity 0: nothing runs it
        assertThat(names(agent, app)).containsExactly("web.1");

        String dyno = web.path("dyno_id").asText();
        assertThat(route(app).path("web_state").asText()).isEqualTo("starting");
        state(agent, dyno, "starting", null).expect(200);
        state(agent, dyno, "up", 40123).expect(200);
        JsonNode route = route(app);
        assertThat(route.path("web_state").asText()).isEqualTo("up");
        assertThat(route.path("maintenance").asBoolean()).isFalse();
        assertThat(route.path("hostnames").toString()).contains(app + ".localhost");
        assertThat(route.path("web_dynos")).hasSize(1);
        assertThat(route.path("web_dynos").get(0).path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(route.path("web_dynos").get(0).path("port").asInt()).isEqualTo(40123);
        assertThat(route.path("web_dynos").get(0).path("name").asText()).isEqualTo("web.1");
        assertThat(eventCount(app, "dyno.state_changed")).isPositive();
        assertThat(eventCount(app, "routes.changed")).isPositive();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM events WHERE type = 'agent.assignments_changed' "
                + "AND payload LIKE ?", Long.class, "%" + agent + "%")).isPositive();

        JsonNode ps = call("GET", "/apps/" + app + "/dynos").as(alice).send().expect(200).matches("dyno").json();
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).path("state").asText()).isEqualTo("up");

        JsonNode table = asComponent(ComponentRole.ROUTER, "GET", "/internal/routes").send().expect(200).json();
        assertThat(table.path("seq").asLong()).isPositive();
        assertThat(table.path("apps").toString()).contains(app);
        call("PATCH", "/apps/" + app).as(alice).json("{\"maintenance\":true}").send().expect(200);
        assertThat(route(app).path("maintenance").asBoolean()).isTrue();

        state(agent, UUID.randomUUID().toString(), "up", 1).expectError(404, "not_found");
        String other = register(newAgentId(), 4096, 32);
        state(other, dyno, "crashed", null).expectError(404, "not_found");
        state(agent, dyno, "sleeping", null).expectError(422, "invalid_params");
        asComponent(ComponentRole.ROUTER, "GET", "/internal/routes/" + UUID.randomUUID()).send().expectError(404, "not_found");
        asAgent(unregistered, "GET", "/internal/agents/" + unregistered + "/assignments").send().expectError(404, "not_found");

        // an app's deletion takes its dynos (and routes) with it
        call("DELETE", "/apps/" + app).as(alice).send().expect(200);
        asComponent(ComponentRole.ROUTER, "GET", "/internal/routes/" + route.path("app_id").asText()).send().expectError(404, "not_found");
        assertThat(names(agent, app)).isEmpty();
    }

    @Test
    void scalesUpAndRetiresTheHighestNumberedOnScaleDown() {
        String agent = register(newAgentId(), 8192, 32);
        User alice = newUser();
        String app = createApp(alice, "rt");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        awaitAssignment(agent, app, "web.1");

        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}").send().expect(200);
        await("web.1-3", () -> names(agent, app).equals(List.of("web.1", "web.2", "web.3")));

        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"type\":\"web\",\"quantity\":1}]}").send().expect(200);
        await("web.2 and web.3 retired", () -> desired(agent, app, "web.2").equals("stopped")
                && desired(agent, app, "web.3").equals("stopped"));
        assertThat(desired(agent, app, "web.1")).isEqualTo("up");
        // ps shows what should run; the retired ones are gone from it at once
        JsonNode ps = call("GET", "/apps/" + app + "/dynos").as(alice).send().expect(200).json();
        assertThat(ps).hasSize(1);
        for (String name : List.of("web.2", "web.3")) {
            state(agent, assignment(agent, app, name).path("dyno_id").asText(), "down", null).expect(200);
        }
        assertThat(names(agent, app)).containsExactly("web.1");
    }

    @Test
    void respectsAgentCapacity() {
        String small = register(newAgentId(), 1024, 2);
        User alice = newUser();
        String app = createApp(alice, "rt");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"type\":\"web\",\"quantity\":3}]}").send().expect(200);
        await("two placed", () -> names(small, app).size() == 2);
        JsonNode ps = call("GET", "/apps/" + app + "/dynos").as(alice).send().expect(200).json();
        assertThat(ps).hasSize(3); // the third waits, unplaced, for room
        String big = register(newAgentId(), 4096, 8);
        await("third placed on the new agent", () -> names(big, app).size() == 1);
        assertThat(names(small, app)).hasSize(2);
    }

    @Test
    void deploySwitchesOverOnlyOnceTheNewWebDynosAreUp() {
        String agent = register(newAgentId(), 8192, 32);
        User alice = newUser();
        String app = createApp(alice, "rt");
        UUID v1 = TestDeploys.deploy(context, app, Map.of("web", "npm start", "worker", "node w.js"));
        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"type\":\"worker\",\"quantity\":1}]}").send().expect(200);
        String oldWeb = awaitAssignment(agent, app, "web.1").path("dyno_id").asText();
        String oldWorker = awaitAssignment(agent, app, "worker.1").path("dyno_id").asText();
        state(agent, oldWeb, "up", 40001).expect(200);

        UUID v2 = TestDeploys.deploy(context, app, Map.of("web", "npm start", "worker", "node w.js"));
        await("new web.1 created", () -> ofRelease(agent, app, "web.1", v2) != null);
        String newWeb = ofRelease(agent, app, "web.1", v2).path("dyno_id").asText();
        // workers switch at once; the old web keeps serving meanwhile
        await("old worker retired", () -> "stopped".equals(byId(agent, oldWorker).path("desired_state").asText()));
        assertThat(byId(agent, oldWeb).path("desired_state").asText()).isEqualTo("up");
        state(agent, newWeb, "starting", null).expect(200);
        assertThat(byId(agent, oldWeb).path("desired_state").asText()).isEqualTo("up");
        assertThat(route(app).path("web_dynos")).hasSize(1);

        state(agent, newWeb, "up", 40002).expect(200);
        // the report itself reconciles: the switch is done when it returns
        assertThat(byId(agent, oldWeb).path("desired_state").asText()).isEqualTo("stopped");
        JsonNode route = route(app);
        assertThat(route.path("web_dynos")).hasSize(1);
        assertThat(route.path("web_dynos").get(0).path("port").asInt()).isEqualTo(40002);
        JsonNode ps = call("GET", "/apps/" + app + "/dynos/web.1").as(alice).send().expect(200).json();
        assertThat(ps.path("id").asText()).isEqualTo(newWeb);

        state(agent, oldWeb, "down", null).expect(200);
        assertThat(byId(agent, oldWeb)).isNull();
        assertThat(v1).isNotEqualTo(v2);
    }

    @Test
    void aDeployWhoseNewWebDynoCrashesDoesNotHang() {
        String agent = register(newAgentId(), 8192, 32);
        User alice = newUser();
        String app = createApp(alice, "rt");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        String oldWeb = awaitAssignment(agent, app, "web.1").path("dyno_id").asText();
        state(agent, oldWeb, "up", 40001).expect(200);
        UUID v2 = TestDeploys.deploy(context, app, Map.of("web", "node broken.js"));
        await("new web.1 created", () -> ofRelease(agent, app, "web.1", v2) != null);
        JsonNode fresh = ofRelease(agent, app, "web.1", v2);
        assertThat(fresh.path("command").asText()).isEqualTo("node broken.js");
        state(agent, fresh.path("dyno_id").asText(), "crashed", null).expect(200);
        // as on Heroku the new release is what runs, crashed or not; the router answers H10
        assertThat(byId(agent, oldWeb).path("desired_state").asText()).isEqualTo("stopped");
        assertThat(route(app).path("web_state").asText()).isEqualTo("crashed");
    }

    @Test
    void aLostAgentsDynosMoveToAnotherAgent() {
        String first = register(newAgentId(), 4096, 32);
        User alice = newUser();
        String app = createApp(alice, "rt");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        String before = awaitAssignment(first, app, "web.1").path("dyno_id").asText();
        String second = register(newAgentId(), 4096, 32);

        // as if 30 s had passed without a heartbeat from the first agent, and the sweep ran. Called here rather than
        // waited for: the loop's own sweep holds off for lost-after-seconds (30 s in tests) after anything that
        // looks like a break in its listening, and these agents do not heartbeat, so by then the second would be
        // silent too. The loop sweeping by itself is proven by ClusterFaultsTest (a killed agent's dynos move).
        jdbc.update("UPDATE agents SET last_heartbeat_at = now() - interval '1 hour' WHERE id = ?", first);
        context.getBean(SweepLostAgents.class).sweep();
        JsonNode moved = awaitAssignment(second, app, "web.1");
        assertThat(moved.path("dyno_id").asText()).isNotEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, first)).isEqualTo("lost");
        assertThat(names(first, app)).isEmpty();

        // it comes back: live again, and its assignments no longer hold the moved dyno
        asAgent(first, "POST", "/internal/agents/" + first + "/heartbeat").json("{\"dynos\":[]}").send().expect(200);
        assertThat(jdbc.queryForObject("SELECT state FROM agents WHERE id = ?", String.class, first)).isEqualTo("live");
        assertThat(names(first, app)).isEmpty();
    }

    @Test
    void withoutAgentsDynosWaitUnplacedUntilOneRegisters() {
        User alice = newUser();
        String app = createApp(alice, "rt");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        await("web.1 desired", () -> call("GET", "/apps/" + app + "/dynos").as(alice).send().expect(200).json().size() == 1);
        JsonNode ps = call("GET", "/apps/" + app + "/dynos/web.1").as(alice).send().expect(200).json();
        assertThat(ps.path("state").asText()).isEqualTo("starting");
        String agent = register(newAgentId(), 4096, 32);
        // registering places waiting dynos in the same transaction
        assertThat(names(agent, app)).containsExactly("web.1");
    }

    @Test
    void restartsAndStopsBumpTheRestartGeneration() {
        String agent = register(newAgentId(), 4096, 32);
        User alice = newUser();
        String app = createApp(alice, "rt");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        String id = awaitAssignment(agent, app, "web.1").path("dyno_id").asText();

        call("DELETE", "/apps/" + app + "/dynos").as(alice).send().expect(202);
        assertThat(byId(agent, id).path("restart_generation").asInt()).isEqualTo(1);
        call("DELETE", "/apps/" + app + "/formations/web").as(alice).send().expect(202);
        assertThat(byId(agent, id).path("restart_generation").asInt()).isEqualTo(2);
        call("DELETE", "/apps/" + app + "/dynos/web.1").as(alice).send().expect(202);
        assertThat(byId(agent, id).path("restart_generation").asInt()).isEqualTo(3);
        // ps:stop of a formation dyno: Heroku starts it again, so it is a restart
        call("POST", "/apps/" + app + "/dynos/web.1/actions/stop").as(alice).send().expect(202);
        assertThat(byId(agent, id).path("restart_generation").asInt()).isEqualTo(4);
        assertThat(byId(agent, id).path("desired_state").asText()).isEqualTo("up");
    }

    @Test
    void oneOffDynosGetARendezvousUrlAndRunOnAnAgent() {
        String agent = register(newAgentId(), 4096, 32);
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice, "rt");
        Response none = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\",\"env\":{\"TERM\":\"dumb\"}}").send()
                .expectError(422, "invalid_params");
        assertThat(none.json().path("message").asText()).contains("Deploy");
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));

        JsonNode run = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"echo hi\",\"env\":{\"TERM\":\"dumb\",\"COLUMNS\":80},"
                        + "\"force_no_tty\":true,\"size\":\"standard-2x\"}")
                .send().expect(201).matches("dyno").json();
        String name = run.path("name").asText();
        assertThat(name).matches("run\\.[1-9]\\d{3}");
        assertThat(run.path("type").asText()).isEqualTo("run");
        assertThat(run.path("size").asText()).isEqualTo("Standard-2X");
        assertThat(run.path("state").asText()).isEqualTo("starting");
        String url = run.path("attach_url").asText();
        assertThat(url).matches("rendezvous://127\\.0\\.0\\.1:\\d+/[0-9a-f]{32}");

        JsonNode a = assignment(agent, app, name);
        assertThat(a.path("one_off").asBoolean()).isTrue();
        assertThat(a.path("command").asText()).isEqualTo("echo hi");
        assertThat(a.path("memory_mb").asInt()).isEqualTo(1024);
        assertThat(a.path("env").path("TERM").asText()).isEqualTo("dumb");
        assertThat(a.path("env").path("COLUMNS").asText()).isEqualTo("80");
        assertThat(a.path("attach").path("tty").asBoolean()).isFalse();
        assertThat(a.path("attach").path("host").asText()).isEqualTo("127.0.0.1");
        assertThat(url).endsWith(":" + a.path("attach").path("port").asInt() + "/" + a.path("attach").path("secret").asText());

        JsonNode detached = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":false,\"command\":\"rake db:migrate\",\"type\":\"worker\"}")
                .send().expect(201).json();
        assertThat(detached.path("attach_url").isNull()).isTrue();
        assertThat(assignment(agent, app, detached.path("name").asText()).path("attach").isNull()).isTrue();

        // it finishes: its row goes, and ps no longer lists it
        state(agent, a.path("dyno_id").asText(), "down", null).expect(200);
        assertThat(call("GET", "/apps/" + app + "/dynos/" + name).as(alice).send().status()).isEqualTo(404);

        call("POST", "/apps/" + app + "/dynos").as(mallory).json("{\"command\":\"bash\",\"attach\":true}").send()
                .expectError(404, "not_found");
        call("GET", "/apps/" + app + "/dynos").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/dynos/" + detached.path("name").asText()).as(mallory).send()
                .expectError(404, "not_found");
        call("POST", "/apps/" + app + "/dynos").as(alice).json("{\"attach\":false}").send()
                .expectError(422, "invalid_params");
    }

    // ---- helpers

    private String register(String id, int memory, int slots) {
        JsonNode r = asAgent(id, "POST", "/internal/agents")
                .json("{\"agent_id\":\"" + id + "\",\"host\":\"127.0.0.1\",\"memory_mb\":" + memory
                        + ",\"dyno_slots\":" + slots + "}").send().expect(200).json();
        assertThat(r.path("agent_id").asText()).isEqualTo(id);
        assertThat(r.path("heartbeat_seconds").asInt()).isEqualTo(3);
        assertThat(r.path("lost_after_seconds").asInt()).isEqualTo(30); // ApiTest's setting
        return id;
    }

    private Response state(String agent, String dyno, String state, Integer port) {
        return asAgent(agent, "POST", "/internal/agents/" + agent + "/dynos/" + dyno + "/state")
                .json("{\"state\":\"" + state + "\",\"port\":" + port + ",\"exit_code\":null,\"message\":null}").send();
    }

    private JsonNode route(String app) {
        String id = jdbc.queryForObject("SELECT id::text FROM apps WHERE name = ?", String.class, app);
        return asComponent(ComponentRole.ROUTER, "GET", "/internal/routes/" + id).send().expect(200).json();
    }

    private JsonNode assignments(String agent) {
        return asAgent(agent, "GET", "/internal/agents/" + agent + "/assignments").send().expect(200).json();
    }

    private List<JsonNode> ofApp(String agent, String app) {
        List<JsonNode> out = new ArrayList<>();
        assignments(agent).path("dynos").forEach(d -> {
            if (d.path("app_name").asText().equals(app)) out.add(d);
        });
        return out;
    }

    private List<String> names(String agent, String app) {
        return ofApp(agent, app).stream().map(d -> d.path("name").asText()).sorted().toList();
    }

    private JsonNode assignment(String agent, String app, String name) {
        return ofApp(agent, app).stream().filter(d -> d.path("name").asText().equals(name)).findFirst().orElse(null);
    }

    private JsonNode ofRelease(String agent, String app, String name, UUID release) {
        return ofApp(agent, app).stream().filter(d -> d.path("name").asText().equals(name)
                && d.path("release_id").asText().equals(release.toString())).findFirst().orElse(null);
    }

    private JsonNode byId(String agent, String id) {
        for (JsonNode d : assignments(agent).path("dynos")) if (d.path("dyno_id").asText().equals(id)) return d;
        return null;
    }

    private String desired(String agent, String app, String name) {
        JsonNode d = assignment(agent, app, name);
        return d == null ? "" : d.path("desired_state").asText();
    }

    private JsonNode awaitAssignment(String agent, String app, String name) {
        await(name + " of " + app + " on " + agent, () -> assignment(agent, app, name) != null);
        return assignment(agent, app, name);
    }

    private long eventCount(String app, String type) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE app_name = ? AND type = ?", Long.class, app, type);
    }
}
