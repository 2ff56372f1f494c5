package io.slipway.api.volumes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Volumes (issue 11): the API, the paths a tenant may not mount at, and what an agent is told: the volumes of
 * a dyno's own app and type only, and whether a volume still exists.
 */
class VolumesApiTest extends ApiTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @BeforeEach
    void noOtherRuntime() {
        FakeAgent.clearRuntime(jdbc);
    }

    private String createApp(User owner) {
        String name = uniqueAppName("vol");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private Response add(User user, String app, String name, String type, String path, Object size) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("process_type", type);
        body.put("mount_path", path);
        body.put("size_mb", size);
        return call("POST", "/apps/" + app + "/volumes").as(user).json(JSON.writeValueAsString(body)).send();
    }

    @Test
    void anOwnerAddsListsFindsAndRemovesVolumes() {
        User alice = newUser();
        String app = createApp(alice);
        JsonNode v = add(alice, app, "storage", "web", "/app/storage", 256).expect(201).json();
        assertThat(v.path("mount_path").asText()).isEqualTo("/app/storage");
        assertThat(v.path("process_type").asText()).isEqualTo("web");
        assertThat(v.path("size_mb").asInt()).isEqualTo(256);
        assertThat(v.path("app").path("name").asText()).isEqualTo(app);
        add(alice, app, "uploads", "worker", "/app/public/uploads", 16).expect(201);

        assertThat(call("GET", "/apps/" + app + "/volumes").as(alice).send().expect(200).json().size()).isEqualTo(2);
        call("GET", "/apps/" + app + "/volumes/storage").as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/volumes/" + v.path("id").asText()).as(alice).send().expect(200);
        add(alice, app, "storage", "worker", "/app/x", 16).expectError(409, "conflict");
        add(alice, app, "other", "web", "/app/storage", 16).expectError(409, "conflict");

        call("DELETE", "/apps/" + app + "/volumes/storage").as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/volumes/storage").as(alice).send().expectError(404, "not_found");
        asAgent(newAgentId(), "GET", "/internal/volumes/" + v.path("id").asText()).send()
                .expectError(404, "not_found");
    }

    @Test
    void pathsOutsideTheAppsOwnDiskAndBadSizesAreRefused() {
        User alice = newUser();
        String app = createApp(alice);
        for (String path : List.of("/", "/app", "/app/", "/etc", "/etc/cron.d", "/tmp/x", "/proc/self", "app/data",
                "/app/../etc", "/app/./x", "/app/x/..", "/app//x", "/app/x y", "/app/" + "x".repeat(300), "/usr/bin")) {
            Response r = add(alice, app, "v", "web", path, 64).expectError(422, "invalid_params");
            assertThat(r.json().path("message").asText()).as(path).contains("/app");
        }
        for (Object size : List.of(0, 15, 10_241, -1, "big", 1.5)) {
            add(alice, app, "v", "web", "/app/data", size).expectError(422, "invalid_params");
        }
        add(alice, app, "Bad Name", "web", "/app/data", 64).expectError(422, "invalid_params");
        add(alice, app, "v", "run", "/app/data", 64).expectError(422, "invalid_params");
        add(alice, app, "v", "../web", "/app/data", 64).expectError(422, "invalid_params");
        for (int i = 0; i < 5; i++) add(alice, app, "v" + i, "web", "/app/d" + i, 16).expect(201);
        add(alice, app, "v5", "web", "/app/d5", 16).expectError(422, "invalid_params");
    }

    @Test
    void strangersSeeNothingAndCollaboratorsManage() {
        User alice = newUser();
        User bob = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":\"" + bob.email() + "\"}").send()
                .expect(201);
        add(bob, app, "data", "web", "/app/data", 64).expect(201);
        add(mallory, app, "evil", "web", "/app/evil", 64).expectError(404, "not_found");
        call("GET", "/apps/" + app + "/volumes").as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/volumes/data").as(mallory).send().expectError(404, "not_found");
        String malloryApp = createApp(mallory);
        call("DELETE", "/apps/" + malloryApp + "/volumes/data").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/volumes/data").as(alice).send().expect(200);
    }

    @Test
    void anAgentIsToldTheVolumesOfEachDynosOwnAppAndType() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        String other = createApp(bob);
        String id = add(alice, app, "storage", "web", "/app/storage", 128).expect(201).json().path("id").asText();
        add(bob, other, "storage", "web", "/app/storage", 64).expect(201);
        UUID release = TestDeploys.deploy(context, app, Map.of("web", "python3 -m http.server $PORT", "worker", "sleep 1"));
        call("PATCH", "/apps/" + app + "/formation/worker").as(alice).json("{\"quantity\":1}").send().expect(200);
        JsonNode web = agent.awaitAssignment(app, "web.1", release);
        assertThat(web.path("volumes").size()).isEqualTo(1);
        assertThat(web.path("volumes").get(0).path("id").asText()).isEqualTo(id);
        assertThat(web.path("volumes").get(0).path("path").asText()).isEqualTo("/app/storage");
        assertThat(web.path("volumes").get(0).path("size_mb").asInt()).isEqualTo(128);
        assertThat(agent.awaitAssignment(app, "worker.1", release).path("volumes").size()).isZero();
        asAgent(newAgentId(), "GET", "/internal/volumes/" + id).send().expect(200);
        asAgent(newAgentId(), "GET", "/internal/volumes/not-a-uuid").send().expectError(404, "not_found");
        asComponent(ComponentRole.ROUTER, "GET", "/internal/volumes/" + id).send().expectError(403, "forbidden");
        call("GET", "/internal/volumes/" + id).as(alice).send().expectError(404, "not_found");

        // a volume added later restarts the type's running dynos so they get it
        int generation = web.path("restart_generation").asInt();
        add(alice, app, "cache", "web", "/app/cache", 16).expect(201);
        JsonNode after = agent.assignment(app, "web.1", release);
        assertThat(after.path("restart_generation").asInt()).isGreaterThan(generation);
        assertThat(after.path("volumes").size()).isEqualTo(2);
    }
}
