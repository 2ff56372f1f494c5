package io.slipway.api.support;

import static io.slipway.api.support.TestDeploys.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.web.ComponentRole;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A dyno-agent played by a test over the real internal API: it registers, reads its assignments and reports dyno
 * states, and ships app log lines as the runtime does. Tests of what the control plane does with a dyno's life
 * (release phase, app setups' postdeploy) share it instead of each hand-building the same calls.
 */
public final class FakeAgent {
    private final ApiTest test;
    private final String id;

    private FakeAgent(ApiTest test, String id) {
        this.test = test;
        this.id = id;
    }

    /** A new agent with room for 64 dynos. */
    public static FakeAgent register(ApiTest test) {
        String id = ApiTest.newAgentId();
        test.asAgent(id, "POST", "/internal/agents").json("{\"agent_id\":\"" + id + "\",\"host\":\"127.0.0.1\","
                + "\"memory_mb\":8192,\"dyno_slots\":64}").send().expect(200);
        return new FakeAgent(test, id);
    }

    /** Placement is global: other tests' formations, dynos and agents go first, so every dyno comes to this one. */
    public static FakeAgent registerAlone(ApiTest test, JdbcTemplate jdbc) {
        clearRuntime(jdbc);
        return register(test);
    }

    public static void clearRuntime(JdbcTemplate jdbc) {
        jdbc.update("UPDATE formations SET quantity = 0 WHERE quantity > 0");
        jdbc.update("DELETE FROM dynos");
        jdbc.update("DELETE FROM agents");
    }

    public String id() {
        return id;
    }

    /** Reports a dyno's state ({@code up}, {@code down}, {@code crashed}) as the agent would. */
    public Response state(String dynoId, String state, Integer port, Integer exit) {
        return test.asAgent(id, "POST", "/internal/agents/" + id + "/dynos/" + dynoId + "/state")
                .json("{\"state\":\"" + state + "\",\"port\":" + port + ",\"exit_code\":" + exit + ",\"message\":null}")
                .send();
    }

    /** The assigned dyno {@code name} of {@code app} (of {@code release} when not null); null when there is none. */
    public JsonNode assignment(String app, String name, UUID release) {
        JsonNode all = test.asAgent(id, "GET", "/internal/agents/" + id + "/assignments").send().expect(200).json();
        for (JsonNode d : all.path("dynos")) {
            if (d.path("app_name").asText().equals(app) && d.path("name").asText().equals(name)
                    && (release == null || d.path("release_id").asText().equals(release.toString()))) return d;
        }
        return null;
    }

    public JsonNode assignment(String app, String name) {
        return assignment(app, name, null);
    }

    public JsonNode awaitAssignment(String app, String name, UUID release) {
        await(name + " of " + app + " on " + id, () -> assignment(app, name, release) != null);
        return assignment(app, name, release);
    }

    public JsonNode awaitAssignment(String app, String name) {
        return awaitAssignment(app, name, null);
    }

    /** Log lines of {@code appId}, each {@code {source, dyno, message}}, shipped as the runtime ships them. */
    public void logs(UUID appId, String[]... lines) {
        StringBuilder body = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) body.append(',');
            body.append("{\"app_id\":\"").append(appId).append("\",\"source\":\"").append(lines[i][0])
                    .append("\",\"dyno\":\"").append(lines[i][1]).append("\",\"message\":\"").append(lines[i][2]).append("\"}");
        }
        test.asComponent(ComponentRole.ROUTER, "POST", "/internal/logs").json(body.append("]}").toString()).send()
                .expect(204);
    }
}
