package io.slipway.api.releases;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.releases.phase.SweepReleasePhases;
import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.StorageApiTest;
import io.slipway.api.support.TestDeploys;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The release phase's state machine through the API, with a fake dyno-agent speaking the internal contract:
 * a release whose slug has {@code release:} is {@code pending} and not current while its {@code release.N}
 * dyno runs with the NEW slug and config; exit 0 makes it live (formation, dynos, {@code release.created});
 * anything else, a dyno that cannot start, or the timeout makes it {@code failed}, and the previous release
 * keeps its dynos. Each test starts with no agents and no dynos (placement is global).
 */
class ReleasePhaseApiTest extends StorageApiTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;
    @Autowired
    SweepReleasePhases sweep;

    @BeforeEach
    void noOtherRuntime() {
        FakeAgent.clearRuntime(jdbc);
    }

    @Test
    void theReleasePhaseRunsTheNewSlugAndConfigAndOnlyItsSuccessMakesTheReleaseLive() throws Exception {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "rp");
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"GREETING\":\"hello\"}").send().expect(200);
        UUID old = TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        JsonNode oldWeb = agent.awaitAssignment(app, "web.1", old);
        agent.state(oldWeb.path("dyno_id").asText(), "up", 5000, null).expect(200);
        long liveEvents = releaseCreatedEvents(app);

        UUID fresh = TestDeploys.deploy(context, app, Map.of("web", "npm start", "worker", "node worker.js",
                "release", "./migrate.sh"));
        JsonNode release = release(alice, app, fresh);
        int version = release.path("version").asInt();
        assertThat(release.path("status").asText()).isEqualTo("pending");
        assertThat(release.path("current").asBoolean()).isFalse();
        assertThat(release.path("eligible_for_rollback").asBoolean()).isFalse();
        String streamUrl = release.path("output_stream_url").asText();
        assertThat(streamUrl).startsWith("https://127.0.0.1:5443/release-output/" + fresh + "/");
        assertThat(release(alice, app, old).path("current").asBoolean()).isTrue();
        assertThat(release(alice, app, old).path("output_stream_url").isNull()).isTrue();
        assertThat(releaseCreatedEvents(app)).isEqualTo(liveEvents);
        // the formation does not follow a release that is not live: no worker yet; release shows the phase (qty 0)
        assertThat(formationTypes(alice, app)).containsExactly("release", "web");

        String name = "release." + version;
        JsonNode phase = agent.awaitAssignment(app, name, fresh);
        assertThat(phase.path("type").asText()).isEqualTo("release");
        assertThat(phase.path("one_off").asBoolean()).isTrue();
        assertThat(phase.path("command").asText()).isEqualTo("./migrate.sh");
        assertThat(phase.path("env").path("GREETING").asText()).isEqualTo("hello");
        assertThat(phase.path("slug").path("id").asText())
                .isEqualTo(jdbc.queryForObject("SELECT slug_id::text FROM releases WHERE id = ?", String.class, fresh));
        JsonNode ps = call("GET", "/apps/" + app + "/dynos/" + name).as(alice).send().expect(200).json();
        assertThat(ps.path("type").asText()).isEqualTo("release");
        // the old release's web dyno is not retired for a release that is not live
        assertThat(agent.assignment(app, "web.1", old).path("desired_state").asText()).isEqualTo("up");
        assertThat(agent.assignment(app, "web.1", fresh)).isNull();

        // a wrong token is a missing release; the real one streams the command's output while it runs
        HttpResponse<String> wrong = get(streamUrl.substring(0, streamUrl.lastIndexOf('/') + 1) + "0".repeat(48));
        assertThat(wrong.statusCode()).isEqualTo(404);
        CompletableFuture<HttpResponse<String>> stream = HTTP.sendAsync(request(streamUrl), HttpResponse.BodyHandlers.ofString());
        UUID appId = UUID.fromString(phase.path("app_id").asText());
        agent.logs(appId, new String[] {"heroku", name, "Starting process with command `./migrate.sh`"},
                new String[] {"app", name, "Migrating the schema... RP-MARKER-1"},
                new String[] {"heroku", name, "Process exited with status 0"});
        agent.state(phase.path("dyno_id").asText(), "up", null, null).expect(200);
        assertThat(release(alice, app, fresh).path("status").asText()).isEqualTo("pending");
        agent.state(phase.path("dyno_id").asText(), "down", null, 0).expect(200);

        release = release(alice, app, fresh);
        assertThat(release.path("status").asText()).isEqualTo("succeeded");
        assertThat(release.path("current").asBoolean()).isTrue();
        assertThat(releaseCreatedEvents(app)).isEqualTo(liveEvents + 1);
        assertThat(formationTypes(alice, app)).containsExactly("release", "web", "worker");
        agent.awaitAssignment(app, "web.1", fresh);
        HttpResponse<String> output = stream.get(30, TimeUnit.SECONDS);
        assertThat(output.statusCode()).isEqualTo(200);
        assertThat(output.body()).isEqualTo("Migrating the schema... RP-MARKER-1\n");
        // ps no longer lists the finished release dyno
        assertThat(call("GET", "/apps/" + app + "/dynos/" + name).as(alice).send().status()).isEqualTo(404);
    }

    @Test
    void aReleasePhaseThatExitsNonZeroFailsTheReleaseAndThePreviousOneKeepsServing() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "rp");
        UUID old = TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        JsonNode oldWeb = agent.awaitAssignment(app, "web.1", old);
        agent.state(oldWeb.path("dyno_id").asText(), "up", 5000, null).expect(200);
        long liveEvents = releaseCreatedEvents(app);

        UUID broken = TestDeploys.deploy(context, app, Map.of("web", "node broken.js", "release", "exit 1"));
        int version = release(alice, app, broken).path("version").asInt();
        JsonNode phase = agent.awaitAssignment(app, "release." + version, broken);
        agent.state(phase.path("dyno_id").asText(), "down", null, 1).expect(200);

        JsonNode failed = release(alice, app, broken);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("current").asBoolean()).isFalse();
        assertThat(failed.path("eligible_for_rollback").asBoolean()).isFalse();
        assertThat(release(alice, app, old).path("current").asBoolean()).isTrue();
        assertThat(releaseCreatedEvents(app)).isEqualTo(liveEvents);
        assertThat(formation(alice, app).get(1).path("command").asText()).isEqualTo("npm start");
        assertThat(agent.assignment(app, "web.1", old).path("desired_state").asText()).isEqualTo("up");
        assertThat(agent.assignment(app, "web.1", broken)).isNull();
        // a one-off runs the current release, not the failed one
        JsonNode run = call("POST", "/apps/" + app + "/dynos").as(alice).json("{\"attach\":false,\"command\":\"ls\"}")
                .send().expect(201).json();
        assertThat(run.path("release").path("version").asInt()).isEqualTo(version - 1);
        assertThat(jdbc.queryForList("SELECT message FROM log_lines WHERE app_id = (SELECT id FROM apps WHERE name = ?) "
                + "AND dyno = 'api'", String.class, app)).contains("Release v" + version + " command failed");
        // a report that comes late (a retry of the agent) changes nothing: the dyno is gone
        agent.state(phase.path("dyno_id").asText(), "down", null, 0).expectError(404, "not_found");
        assertThat(release(alice, app, broken).path("status").asText()).isEqualTo("failed");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"" + broken + "\"}").send()
                .expectError(422, "invalid_params");
    }

    @Test
    void aReleasePhaseThatCannotStartOrRunsTooLongFailsAndItsDynoIsStopped() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "rp");
        UUID crashing = TestDeploys.deploy(context, app, Map.of("web", "npm start", "release", "./migrate.sh"));
        int version = release(alice, app, crashing).path("version").asInt();
        JsonNode phase = agent.awaitAssignment(app, "release." + version, crashing);
        agent.state(phase.path("dyno_id").asText(), "crashed", null, null).expect(200);
        assertThat(release(alice, app, crashing).path("status").asText()).isEqualTo("failed");
        assertThat(agent.assignment(app, "release." + version, crashing).path("desired_state").asText()).isEqualTo("stopped");

        UUID hanging = TestDeploys.deploy(context, app, Map.of("web", "npm start", "release", "sleep infinity"));
        int next = release(alice, app, hanging).path("version").asInt();
        JsonNode hung = agent.awaitAssignment(app, "release." + next, hanging);
        agent.state(hung.path("dyno_id").asText(), "up", null, null).expect(200);
        assertThat(sweep.sweep(Instant.now())).isZero();
        assertThat(release(alice, app, hanging).path("status").asText()).isEqualTo("pending");
        // an hour and more later (the default timeout)
        assertThat(sweep.sweep(Instant.now().plus(Duration.ofMinutes(61)))).isPositive();
        assertThat(release(alice, app, hanging).path("status").asText()).isEqualTo("failed");
        assertThat(agent.assignment(app, "release." + next, hanging).path("desired_state").asText()).isEqualTo("stopped");
        // neither went live: the app's first release (no code) is still the current one
        JsonNode all = call("GET", "/apps/" + app + "/releases").as(alice).send().expect(200).json();
        List<Integer> current = new ArrayList<>();
        all.forEach(r -> {
            if (r.path("current").asBoolean()) current.add(r.path("version").asInt());
        });
        assertThat(current).containsExactly(1);
    }

    @Test
    void configChangesAndRollbacksOfASlugWithAReleasePhaseRunItToo() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "rp");
        UUID deployed = TestDeploys.deploy(context, app, Map.of("web", "npm start", "release", "./migrate.sh"));
        int v = release(alice, app, deployed).path("version").asInt();
        finishOk(agent, app, "release." + v, deployed);
        assertThat(release(alice, app, deployed).path("current").asBoolean()).isTrue();

        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"FOO\":\"bar\"}").send().expect(200);
        JsonNode configRelease = latest(alice, app);
        assertThat(configRelease.path("status").asText()).isEqualTo("pending");
        assertThat(configRelease.path("description").asText()).isEqualTo("Set FOO config vars");
        UUID configId = UUID.fromString(configRelease.path("id").asText());
        JsonNode phase = agent.awaitAssignment(app, "release." + configRelease.path("version").asInt(), configId);
        assertThat(phase.path("env").path("FOO").asText()).isEqualTo("bar");
        assertThat(release(alice, app, deployed).path("current").asBoolean()).isTrue();
        finishOk(agent, app, "release." + configRelease.path("version").asInt(), configId);
        assertThat(release(alice, app, configId).path("current").asBoolean()).isTrue();

        JsonNode rollback = call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"release\":\"" + deployed + "\"}").send().expect(201).matches("release").json();
        assertThat(rollback.path("status").asText()).isEqualTo("pending");
        assertThat(rollback.path("output_stream_url").asText()).contains("/release-output/");
        assertThat(release(alice, app, configId).path("current").asBoolean()).isTrue();

        // one release phase per app at a time: a newer release supersedes the pending one and stops its dyno
        UUID rollbackId = UUID.fromString(rollback.path("id").asText());
        String rollbackDyno = "release." + rollback.path("version").asInt();
        agent.awaitAssignment(app, rollbackDyno, rollbackId);
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"FOO\":\"baz\"}").send().expect(200);
        assertThat(release(alice, app, rollbackId).path("status").asText()).isEqualTo("failed");
        assertThat(latest(alice, app).path("status").asText()).isEqualTo("pending");
        await(rollbackDyno + " stopped", () -> "stopped".equals(
                agent.assignment(app, rollbackDyno, rollbackId).path("desired_state").asText()));
    }

    @Test
    void aOneOffOfTypeReleaseThatTheUserStartsCannotMakeAPendingReleaseLive() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "rp");
        UUID live = TestDeploys.deploy(context, app, Map.of("web", "npm start"));
        UUID pending = TestDeploys.deploy(context, app, Map.of("web", "node evil.js", "release", "exit 1"));
        JsonNode run = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":false,\"command\":\"true\",\"type\":\"release\"}").send().expect(201).json();
        assertThat(run.path("name").asText()).startsWith("run.");
        JsonNode mine = agent.awaitAssignment(app, run.path("name").asText(), live);
        agent.state(mine.path("dyno_id").asText(), "down", null, 0).expect(200);
        assertThat(release(alice, app, pending).path("status").asText()).isEqualTo("pending");
        assertThat(release(alice, app, live).path("current").asBoolean()).isTrue();
    }

    @Test
    void anotherUsersReleasesAndTheirOutputStayHidden() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice, "rp");
        UUID id = TestDeploys.deploy(context, app, Map.of("web", "npm start", "release", "./migrate.sh"));
        call("GET", "/apps/" + app + "/releases/" + id).as(mallory).send().expectError(404, "not_found");
        assertThat(get("https://127.0.0.1:5443/release-output/" + id + "/").statusCode()).isEqualTo(404);
        assertThat(get("https://127.0.0.1:5443/release-output/" + id + "/x").statusCode()).isEqualTo(404);
    }

    // ---- helpers

    private void finishOk(FakeAgent agent, String app, String name, UUID release) {
        JsonNode d = agent.awaitAssignment(app, name, release);
        agent.state(d.path("dyno_id").asText(), "down", null, 0).expect(200);
    }

    private JsonNode release(User user, String app, UUID id) {
        return call("GET", "/apps/" + app + "/releases/" + id).as(user).send().expect(200).matches("release").json();
    }

    private JsonNode latest(User user, String app) {
        JsonNode all = call("GET", "/apps/" + app + "/releases").as(user).send().expect(200).json();
        return all.get(all.size() - 1);
    }

    private List<JsonNode> formation(User user, String app) {
        List<JsonNode> out = new ArrayList<>();
        call("GET", "/apps/" + app + "/formation").as(user).send().expect(200).json().forEach(out::add);
        return out;
    }

    private List<String> formationTypes(User user, String app) {
        return formation(user, app).stream().map(f -> f.path("type").asText()).sorted().toList();
    }

    private long releaseCreatedEvents(String app) {
        return jdbc.queryForObject("SELECT count(*) FROM events WHERE app_name = ? AND type = 'release.created'",
                Long.class, app);
    }

    private HttpRequest request(String publicUrl) {
        return HttpRequest.newBuilder(URI.create(local(publicUrl))).timeout(Duration.ofSeconds(60)).GET().build();
    }

    private HttpResponse<String> get(String publicUrl) {
        try {
            return HTTP.send(request(publicUrl), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
