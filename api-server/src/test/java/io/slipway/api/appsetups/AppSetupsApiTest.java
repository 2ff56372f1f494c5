package io.slipway.api.appsetups;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.FakeBuildWorker;
import io.slipway.api.support.Response;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /app-setups} end to end as far as the API goes: the tarball is uploaded to the real object store
 * through {@code POST /sources}, the background poller reads its app.json and configures the app, and this test
 * plays the build-worker over the internal API (as the build tests do) so the build and its release complete.
 * The postdeploy script: {@link AppSetupPostdeployApiTest}.
 */
class AppSetupsApiTest extends AppSetupApiTestSupport {

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
        JsonNode claim = buildWorker.claimOwn(buildId);
        assertThat(claim.path("source_url").asText()).isEqualTo(url);
        assertThat(claim.path("buildpacks").get(0).asText()).isEqualTo("urn:buildpack:heroku/nodejs");
        byte[] slug = "a slug".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(claim.path("slug_put_url").asText(), slug)).isEqualTo(200);
        buildWorker.result(buildId, FakeBuildWorker.succeeded(slug.length, "{\"web\":\"node server.js\"}")).expect(200);

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
        buildWorker.claimOwn(buildId);
        buildWorker.result(buildId, "{\"status\":\"failed\",\"message\":\"npm install failed\"}").expect(200);
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
            assertThat(buildWorker.claimOwn(buildId).path("source_url").asText()).isEqualTo(url);
            buildWorker.result(buildId, "{\"status\":\"failed\",\"message\":\"done with it\"}").expect(200);
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

    private static HttpServer serve(String host, HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, 0), 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }

}
