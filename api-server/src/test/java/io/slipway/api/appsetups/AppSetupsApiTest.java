package io.slipway.api.appsetups;

import static io.slipway.api.support.TestDeploys.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.addons.FakeAddonProviders;
import io.slipway.api.support.Response;
import io.slipway.api.support.StorageApiTest;
import io.slipway.api.web.ComponentRole;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code POST /app-setups} end to end as far as the API goes: the tarball is uploaded to the real object store
 * through {@code POST /sources}, the background poller reads its app.json and configures the app, and this test
 * plays the build-worker over the internal API (as the build tests do) so the build and its release complete.
 */
@Import(FakeAddonProviders.class)
class AppSetupsApiTest extends StorageApiTest {
    private static final String WORKER = "app-setups-test-worker";
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aSetupAppliesAppJsonThenBuildsAndScales() {
        User alice = newUser();
        String manifest = """
                {"name": "demo",
                 "env": {"GREETING": {"value": "hello"}, "SECRET_KEY_BASE": {"generator": "secret"},
                         "OPTIONAL": {"required": false, "description": "left empty"}, "PLAIN": "text"},
                 "addons": [{"plan": "heroku-postgresql", "as": "DATABASE"}],
                 "buildpacks": [{"url": "heroku/nodejs"}],
                 "formation": {"web": {"quantity": 2, "size": "Standard-2X"}},
                 "success_url": "/welcome"}
                """;
        // GitHub's tarballs have one top-level directory
        String url = source(alice, tarball(Map.of("demo-main/app.json", manifest, "demo-main/server.js", "x")));
        String name = uniqueAppName("setup");

        JsonNode created = call("POST", "/app-setups").as(alice).json("{\"source_blob\":{\"url\":\"" + url
                + "\"},\"app\":{\"name\":\"" + name + "\"},\"overrides\":{\"env\":{\"GREETING\":\"overridden\"}}}")
                .send().expect(201).matches("app-setup").json();
        assertThat(created.path("status").asText()).isEqualTo("pending");
        assertThat(created.path("app").path("name").asText()).isEqualTo(name);
        String id = created.path("id").asText();

        JsonNode building = awaitSetup(alice, id, s -> !s.path("build").isNull() || !s.path("status").asText().equals("pending"));
        assertThat(building.path("status").asText()).isEqualTo("pending");
        assertThat(building.path("manifest_errors").size()).as(building.toString()).isZero();

        JsonNode config = call("GET", "/apps/" + name + "/config-vars").as(alice).send().expect(200).json();
        assertThat(config.path("GREETING").asText()).isEqualTo("overridden");
        assertThat(config.path("PLAIN").asText()).isEqualTo("text");
        assertThat(config.path("SECRET_KEY_BASE").asText()).matches("[0-9a-f]{64}");
        assertThat(config.has("OPTIONAL")).isFalse();
        assertThat(config.path("DATABASE_URL").asText()).startsWith("postgres://");
        JsonNode packs = call("GET", "/apps/" + name + "/buildpack-installations").as(alice).send().expect(200).json();
        assertThat(packs.get(0).path("buildpack").path("name").asText()).isEqualTo("heroku/nodejs");

        String buildId = building.path("build").path("id").asText();
        JsonNode claim = claimOwn(buildId);
        assertThat(claim.path("source_url").asText()).isEqualTo(url);
        assertThat(claim.path("buildpacks").get(0).asText()).isEqualTo("urn:buildpack:heroku/nodejs");
        byte[] slug = "a slug".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(claim.path("slug_put_url").asText(), slug)).isEqualTo(200);
        result(buildId, succeeded(slug, "{\"web\":\"node server.js\"}")).expect(200);

        JsonNode done = awaitSetup(alice, id, s -> !s.path("status").asText().equals("pending"));
        assertThat(done.path("failure_message").isNull()).as(done.toString()).isTrue();
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("build").path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("resolved_success_url").asText()).endsWith("/welcome").contains(name);
        assertThat(done.path("postdeploy").isNull()).isTrue();
        JsonNode web = call("GET", "/apps/" + name + "/formation/web").as(alice).send().expect(200).json();
        assertThat(web.path("quantity").asInt()).isEqualTo(2);
        assertThat(web.path("size").asText()).isEqualTo("Standard-2X");
    }

    @Test
    void aRequiredVariableWithoutValueFailsTheSetupBeforeAnyBuild() {
        User alice = newUser();
        String url = source(alice, tarball(Map.of("app.json", "{\"env\": {\"API_TOKEN\": {\"description\": \"yours\"}}}")));
        JsonNode done = awaitSetup(alice, post(alice, url).path("id").asText(), s -> !s.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).contains("API_TOKEN");
        assertThat(done.path("build").isNull()).isTrue();
    }

    @Test
    void aFailedBuildFailsTheSetup() {
        User alice = newUser();
        String url = source(alice, tarball(Map.of("app.json", "{}")));
        String id = post(alice, url).path("id").asText();
        String buildId = awaitSetup(alice, id, s -> !s.path("build").isNull()).path("build").path("id").asText();
        claimOwn(buildId);
        result(buildId, "{\"status\":\"failed\",\"message\":\"npm install failed\"}").expect(200);
        JsonNode done = awaitSetup(alice, id, s -> !s.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).contains("npm install failed");
    }

    /** Attack: app.json as a link to a file of the api-server's host must not be read, nor followed. */
    @Test
    void aSymlinkedAppJsonIsRefused() {
        User mallory = newUser();
        String url = source(mallory, tarballWithSymlink("app.json", "/etc/passwd"));
        JsonNode done = awaitSetup(mallory, post(mallory, url).path("id").asText(), s -> !s.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).contains("regular file").doesNotContain("root:");
        assertThat(done.path("build").isNull()).isTrue();
    }

    /** Attack: a huge app.json must not be read into the api-server's memory. */
    @Test
    void anOverLargeAppJsonIsRefused() {
        User mallory = newUser();
        String huge = "{\"description\": \"" + "a".repeat(AppJsonReader.MAX_BYTES) + "\"}";
        String url = source(mallory, tarball(Map.of("app.json", huge)));
        JsonNode done = awaitSetup(mallory, post(mallory, url).path("id").asText(), s -> !s.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).contains("larger than");
    }

    /** Attack: the api-server must not be made to fetch an internal address for a tenant. */
    @Test
    void aSourceUrlInsideThePlatformIsRefusedAndNoAppIsCreated() {
        User mallory = newUser();
        String name = uniqueAppName("ssrf");
        call("POST", "/app-setups").as(mallory).json("{\"source_blob\":{\"url\":\"http://127.0.0.1:9/secrets.tgz\"},"
                + "\"app\":{\"name\":\"" + name + "\"}}").send().expect(422);
        call("GET", "/apps/" + name).as(mallory).send().expect(404);
    }

    /** Attack: a setup's id is no credential; another user gets not_found, as for an id that does not exist. */
    @Test
    void anotherUserCannotSeeASetup() {
        User alice = newUser();
        User bob = newUser();
        String id = post(alice, source(alice, tarball(Map.of("app.json", "{}")))).path("id").asText();
        Response r = call("GET", "/app-setups/" + id).as(bob).send().expect(404);
        assertThat(r.json().path("id").asText()).isEqualTo("not_found");
        call("GET", "/app-setups/not-a-uuid").as(alice).send().expect(404);
        call("GET", "/app-setups/" + id).as(alice).send().expect(200);
    }

    /** A URL the user gives (not our store) is fetched through the outbound policy, which allows 127.0.0.2 here. */
    @Test
    void aUserGivenUrlIsFetchedThroughTheOutboundPolicy() throws IOException {
        User alice = newUser();
        byte[] tgz = tarball(Map.of("app.json", "{\"env\": {\"FROM_URL\": \"yes\"}}"));
        HttpServer server = serve(ALLOWED_COLLECTOR_HOST, exchange -> {
            exchange.sendResponseHeaders(200, tgz.length);
            exchange.getResponseBody().write(tgz);
            exchange.close();
        });
        try {
            String url = "http://" + ALLOWED_COLLECTOR_HOST + ":" + server.getAddress().getPort() + "/src.tgz";
            JsonNode setup = post(alice, url);
            JsonNode building = awaitSetup(alice, setup.path("id").asText(), s -> !s.path("build").isNull()
                    || !s.path("status").asText().equals("pending"));
            assertThat(building.path("failure_message").isNull()).as(building.toString()).isTrue();
            String app = setup.path("app").path("name").asText();
            assertThat(call("GET", "/apps/" + app + "/config-vars").as(alice).send().expect(200).json()
                    .path("FROM_URL").asText()).isEqualTo("yes");
            String buildId = building.path("build").path("id").asText();
            assertThat(claimOwn(buildId).path("source_url").asText()).isEqualTo(url);
            result(buildId, "{\"status\":\"failed\",\"message\":\"done with it\"}").expect(200);
        } finally {
            server.stop(0);
        }
    }

    /** Attack: an allowed host redirecting to an internal address must not make the api-server fetch it. */
    @Test
    void aRedirectToAnInternalAddressIsNotFollowed() throws IOException {
        User mallory = newUser();
        AtomicInteger internalHits = new AtomicInteger();
        HttpServer internal = serve("127.0.0.1", exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        String target = "http://127.0.0.1:" + internal.getAddress().getPort() + "/secret.tgz";
        HttpServer redirector = serve(ALLOWED_COLLECTOR_HOST, exchange -> {
            exchange.getResponseHeaders().add("Location", target);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        try {
            String url = "http://" + ALLOWED_COLLECTOR_HOST + ":" + redirector.getAddress().getPort() + "/src.tgz";
            JsonNode done = awaitSetup(mallory, post(mallory, url).path("id").asText(),
                    s -> !s.path("status").asText().equals("pending"));
            assertThat(done.path("status").asText()).isEqualTo("failed");
            assertThat(done.path("failure_message").asText()).startsWith("Could not read app.json");
            assertThat(done.path("build").isNull()).isTrue();
            assertThat(internalHits.get()).isZero();
        } finally {
            redirector.stop(0);
            internal.stop(0);
        }
    }

    /**
     * app.json's {@code scripts.postdeploy} runs once, after the first release is live, as the one-off dyno
     * {@code postdeploy.1} of that release (its slug and config vars); the setup waits for it, and exit 0 with
     * its output (the app's lines of that dyno, not the platform's) succeeds it.
     */
    @Test
    void thePostdeployScriptRunsAfterTheReleaseAndItsExitZeroSucceedsTheSetup() {
        String agent = onlyAgent();
        User alice = newUser();
        Setup s = buildUntilPostdeploy(alice, agent, "bin/seed --demo");
        assertThat(s.dyno().path("command").asText()).isEqualTo("bin/seed --demo");
        assertThat(s.dyno().path("release_id").asText()).isEqualTo(currentRelease(alice, s.app()));
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("pending");
        assertThat(setup(alice, s.id()).path("postdeploy").isNull()).isTrue();

        String dynoId = s.dyno().path("dyno_id").asText();
        state(agent, dynoId, "up", null, null).expect(200);
        logs(s.appId(), new String[] {"heroku", "postdeploy.1", "Starting process with command `bin/seed --demo`"},
                new String[] {"app", "postdeploy.1", "seeded 3 rows"}, new String[] {"app", "postdeploy.1", "done"});
        // the setup is not done while the script runs
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("pending");
        logs(s.appId(), new String[] {"heroku", "postdeploy.1", "Process exited with status 0"});
        state(agent, dynoId, "down", null, 0).expect(200);

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
        String agent = onlyAgent();
        User alice = newUser();
        Setup s = buildUntilPostdeploy(alice, agent, "bin/seed");
        String dynoId = s.dyno().path("dyno_id").asText();
        logs(s.appId(), new String[] {"app", "postdeploy.1", "relation \\\"users\\\" does not exist"},
                new String[] {"heroku", "postdeploy.1", "Process exited with status 1"});
        state(agent, dynoId, "down", null, 1).expect(200);

        JsonNode done = awaitSetup(alice, s.id(), n -> !n.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).isEqualTo("postdeploy script failed");
        assertThat(done.path("postdeploy").path("exit_code").asInt()).isEqualTo(1);
        assertThat(done.path("postdeploy").path("output").asText()).contains("does not exist");
        call("GET", "/apps/" + s.app()).as(alice).send().expect(200);
        // a retried report of the same dyno is refused (the row is gone) and cannot turn the failure into success
        state(agent, dynoId, "down", null, 0).expect(404);
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("failed");
    }

    /**
     * Attack: a collaborator cannot forge the script's outcome with a one-off of their own of type
     * {@code postdeploy} (which {@code heroku run --type} allows) exiting 0: only the setup's own dyno counts.
     */
    @Test
    void aOneOffOfTypePostdeployStartedByAUserDoesNotDecideTheSetup() {
        String agent = onlyAgent();
        User alice = newUser();
        Setup s = buildUntilPostdeploy(alice, agent, "bin/seed");
        String forged = call("POST", "/apps/" + s.app() + "/dynos").as(alice)
                .json("{\"command\":\"true\",\"attach\":false,\"type\":\"postdeploy\"}").send().expect(201)
                .json().path("name").asText();
        JsonNode forgedDyno = awaitDyno(agent, s.app(), forged);
        state(agent, forgedDyno.path("dyno_id").asText(), "down", null, 0).expect(200);
        await("the forged one-off to be gone", () -> dyno(agent, s.app(), forged) == null);
        assertThat(setup(alice, s.id()).path("status").asText()).isEqualTo("pending");

        state(agent, s.dyno().path("dyno_id").asText(), "crashed", null, null).expect(200);
        JsonNode done = awaitSetup(alice, s.id(), n -> !n.path("status").asText().equals("pending"));
        assertThat(done.path("status").asText()).isEqualTo("failed");
        assertThat(done.path("failure_message").asText()).isEqualTo("postdeploy script failed");
        assertThat(done.path("postdeploy").path("exit_code").asInt()).isEqualTo(-1);
        // a dyno that could not start is stopped, not left behind
        assertThat(dyno(agent, s.app(), "postdeploy.1").path("desired_state").asText()).isEqualTo("stopped");
    }

    private record Setup(String id, String app, java.util.UUID appId, JsonNode dyno) {}

    /** A setup whose app.json has {@code scripts.postdeploy}, built and released, up to its postdeploy dyno. */
    private Setup buildUntilPostdeploy(User user, String agent, String script) {
        String manifest = "{\"scripts\": {\"postdeploy\": \"" + script + "\"}}";
        String url = source(user, tarball(Map.of("app.json", manifest)));
        JsonNode created = post(user, url);
        String id = created.path("id").asText();
        String app = created.path("app").path("name").asText();
        String buildId = awaitSetup(user, id, n -> !n.path("build").isNull()).path("build").path("id").asText();
        JsonNode claim = claimOwn(buildId);
        byte[] slug = "a slug".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(claim.path("slug_put_url").asText(), slug)).isEqualTo(200);
        result(buildId, succeeded(slug, "{\"web\":\"node server.js\"}")).expect(200);
        JsonNode dyno = awaitDyno(agent, app, "postdeploy.1");
        java.util.UUID appId = java.util.UUID.fromString(created.path("app").path("id").asText());
        return new Setup(id, app, appId, dyno);
    }

    /** Placement is global: with this test's agent the only one, every dyno comes to it. */
    private String onlyAgent() {
        jdbc.update("UPDATE formations SET quantity = 0 WHERE quantity > 0");
        jdbc.update("DELETE FROM dynos");
        jdbc.update("DELETE FROM agents");
        String id = newAgentId();
        asAgent(id, "POST", "/internal/agents").json("{\"agent_id\":\"" + id + "\",\"host\":\"127.0.0.1\","
                + "\"memory_mb\":8192,\"dyno_slots\":64}").send().expect(200);
        return id;
    }

    private JsonNode setup(User user, String id) {
        return call("GET", "/app-setups/" + id).as(user).send().expect(200).json();
    }

    private String currentRelease(User user, String app) {
        JsonNode all = call("GET", "/apps/" + app + "/releases").as(user).send().expect(200).json();
        return all.get(all.size() - 1).path("id").asText();
    }

    private Response state(String agent, String dyno, String state, Integer port, Integer exit) {
        return asAgent(agent, "POST", "/internal/agents/" + agent + "/dynos/" + dyno + "/state")
                .json("{\"state\":\"" + state + "\",\"port\":" + port + ",\"exit_code\":" + exit + ",\"message\":null}")
                .send();
    }

    private void logs(java.util.UUID appId, String[]... lines) {
        StringBuilder body = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) body.append(',');
            body.append("{\"app_id\":\"").append(appId).append("\",\"source\":\"").append(lines[i][0])
                    .append("\",\"dyno\":\"").append(lines[i][1]).append("\",\"message\":\"").append(lines[i][2]).append("\"}");
        }
        asComponent(ComponentRole.ROUTER, "POST", "/internal/logs").json(body.append("]}").toString()).send().expect(204);
    }

    private JsonNode dyno(String agent, String app, String name) {
        JsonNode all = asAgent(agent, "GET", "/internal/agents/" + agent + "/assignments").send().expect(200).json();
        for (JsonNode d : all.path("dynos")) {
            if (d.path("app_name").asText().equals(app) && d.path("name").asText().equals(name)) return d;
        }
        return null;
    }

    private JsonNode awaitDyno(String agent, String app, String name) {
        await(name + " of " + app + " on " + agent, () -> dyno(agent, app, name) != null);
        return dyno(agent, app, name);
    }

    private static HttpServer serve(String host, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    private JsonNode post(User user, String url) {
        return call("POST", "/app-setups").as(user).json("{\"source_blob\":{\"url\":\"" + url + "\"}}")
                .send().expect(201).json();
    }

    private JsonNode awaitSetup(User user, String id, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode s = call("GET", "/app-setups/" + id).as(user).send().expect(200).json();
            if (condition.test(s)) return s;
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting on app setup " + s);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private String source(User user, byte[] tarball) {
        JsonNode blob = call("POST", "/sources").as(user).send().expect(201).json().path("source_blob");
        assertThat(upload(blob.path("put_url").asText(), tarball)).isEqualTo(200);
        return blob.path("get_url").asText();
    }

    /** Claims until this test's build comes up; builds of other tests met on the way are failed. */
    private JsonNode claimOwn(String buildId) {
        for (int i = 0; i < 200; i++) {
            Response r = worker("POST", "/internal/builds/claim").json("{\"worker_id\":\"" + WORKER + "\"}").send();
            if (r.status() == 204) fail("build " + buildId + " was not claimable");
            JsonNode claim = r.expect(200).json();
            if (claim.path("build_id").asText().equals(buildId)) return claim;
            result(claim.path("build_id").asText(), "{\"status\":\"failed\",\"message\":\"left over\"}").expect(200);
        }
        throw new AssertionError("too many builds queued before " + buildId);
    }

    private Response result(String buildId, String json) {
        return worker("POST", "/internal/builds/" + buildId + "/result").json(json).send();
    }

    private static String succeeded(byte[] slug, String processTypes) {
        String sha;
        try {
            sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(slug));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return "{\"status\":\"succeeded\",\"slug\":{\"checksum\":\"SHA256:" + sha + "\",\"size\":" + slug.length
                + ",\"process_types\":" + processTypes + ",\"buildpack_provided_description\":\"Node.js\","
                + "\"commit\":null,\"commit_description\":null}}";
    }

    private static byte[] tarball(Map<String, String> files) {
        return write(tar -> {
            for (var f : new LinkedHashMap<>(files).entrySet()) {
                byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(bytes.length);
                tar.putArchiveEntry(e);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        });
    }

    private static byte[] tarballWithSymlink(String name, String target) {
        return write(tar -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        });
    }

    private interface TarBody {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private static byte[] write(TarBody body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
