package io.slipway.api.appsetups;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.FakeAgent;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * app.json's {@code scripts.postdeploy} through the API: the setup's build completes through this test's
 * build-worker, and a fake dyno-agent (the only one, since placement is global) runs the postdeploy dyno and
 * reports its exit over the real internal API.
 */
class AppSetupPostdeployApiTest extends AppSetupApiTestSupport {
    private FakeAgent agent;

    @BeforeEach
    void onlyAgent() {
        agent = FakeAgent.registerAlone(this, jdbc);
    }

    /**
     * app.json's {@code scripts.postdeploy} runs once, after the first release is live, as the one-off dyno
     * {@code postdeploy.1} of that release (its slug and config vars); the setup waits for it, and exit 0 with
     * its output (the app's lines of that dyno, not the platform's) succeeds it.
     */
    @Test
    void thePostdeployScriptRunsAfterTheReleaseAndItsExitZeroSucceedsTheSetup() {
        User alice = newUser();
        Setup s = buildUntilPostdeploy(alice, "bin/seed --demo");
        assertThat(s.dyno().path("command").asText()).isEqualTo("bin/seed --demo");
        assertThat(s.dyno().path("release_id").asText()).isEqualTo(currentRelease(alice, s.app()));
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("pending");
        assertThat(setup(alice, s.id()).path("postdeploy").isNull()).isTrue();

        String dynoId = s.dyno().path("dyno_id").asText();
        agent.state(dynoId, "up", null, null).expect(200);
        agent.logs(s.appId(), new String[] {"heroku", "postdeploy.1", "Starting process with command `bin/seed --demo`"},
                new String[] {"app", "postdeploy.1", "seeded 3 rows"}, new String[] {"app", "postdeploy.1", "done"});
        // the setup is not done while the script runs
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("pending");
        agent.logs(s.appId(), new String[] {"heroku", "postdeploy.1", "Process exited with status 0"});
        agent.state(dynoId, "down", null, 0).expect(200);

        JsonNode done = awaitSetup(alice, s.id(), n -> !n.path("status").asText().equals("pending"));
        assertThat(done.path("failure_message").isNull()).as(done.toString()).isTrue();
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("postdeploy").path("exit_code").asInt()).isEqualTo(0);
        assertThat(done.path("postdeploy").path("output").asText()).isEqualTo("seeded 3 rows\ndone\n");
        assertThat(done.path("manifest_errors").size()).isZero();
    }

    /** A non-zero exit fails the setup with Heroku's message; the app stays. A late report changes nothing. */
    @Test
    void aPostdeployScriptExitingNonZeroFailsTheSetupButKeepsTheApp() {
        User alice = newUser();
        Setup s = buildUntilPostdeploy(alice, "bin/seed");
        String dynoId = s.dyno().path("dyno_id").asText();
        agent.logs(s.appId(), new String[] {"app", "postdeploy.1", "relation \\\"users\\\" does not exist"},
                new String[] {"heroku", "postdeploy.1", "Process exited with status 1"});
        agent.state(dynoId, "down", null, 1).expect(200);

        JsonNode done = awaitSetup(alice, s.id(), n -> !n.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).isEqualTo("postdeploy script failed");
        assertThat(done.path("postdeploy").path("exit_code").asInt()).isEqualTo(1);
        assertThat(done.path("postdeploy").path("output").asText()).contains("does not exist");
        call("GET", "/apps/" + s.app()).as(alice).send().expect(200);
        // a retried report of the same dyno is refused (the row is gone) and cannot turn the failure into success
        agent.state(dynoId, "down", null, 0).expect(404);
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("failed");
    }

    /**
     * Attack: a collaborator cannot forge the script's outcome with a one-off of their own of type
     * {@code postdeploy} (which {@code heroku run --type} allows) exiting 0: only the setup's own dyno counts.
     */
    @Test
    void aOneOffOfTypePostdeployStartedByAUserDoesNotDecideTheSetup() {
        User alice = newUser();
        Setup s = buildUntilPostdeploy(alice, "bin/seed");
        String forged = call("POST", "/apps/" + s.app() + "/dynos").as(alice)
                .json("{\"command\":\"true\",\"attach\":false,\"type\":\"postdeploy\"}").send().expect(201)
                .json().path("name").asText();
        JsonNode forgedDyno = agent.awaitAssignment(s.app(), forged);
        agent.state(forgedDyno.path("dyno_id").asText(), "down", null, 0).expect(200);
        await("the forged one-off to be gone", () -> agent.assignment(s.app(), forged) == null);
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("pending");

        agent.state(s.dyno().path("dyno_id").asText(), "crashed", null, null).expect(200);
        JsonNode done = awaitSetup(alice, s.id(), n -> !n.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).isEqualTo("postdeploy script failed");
        assertThat(done.path("postdeploy").path("exit_code").asInt()).isEqualTo(-1);
        // a dyno that could not start is stopped, not left behind
        assertThat(agent.assignment(s.app(), "postdeploy.1").path("desired_state").asText()).isEqualTo("stopped");
    }

    private record Setup(String id, String app, UUID appId, JsonNode dyno) {}

    /** A setup whose app.json has {@code scripts.postdeploy}, built and released, up to its postdeploy dyno. */
    private Setup buildUntilPostdeploy(User user, String script) {
        String manifest = "{\"scripts\": {\"postdeploy\": \"" + script + "\"}}";
        String url = source(user, tarball(Map.of("app.json", manifest)));
        JsonNode created = post(user, url);
        String id = created.path("id").asText();
        String app = created.path("app").path("name").asText();
        String buildId = awaitSetup(user, id, n -> !n.path("build").isNull()).path("build").path("id").asText();
        buildSucceeds(buildId, "{\"web\":\"node server.js\"}");
        JsonNode dyno = agent.awaitAssignment(app, "postdeploy.1");
        UUID appId = UUID.fromString(created.path("app").path("id").asText());
        return new Setup(id, app, appId, dyno);
    }

    private String currentRelease(User user, String app) {
        JsonNode all = call("GET", "/apps/" + app + "/releases").as(user).send().expect(200).json();
        return all.get(all.size() - 1).path("id").asText();
    }

}
