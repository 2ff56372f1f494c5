package io.slipway.api.builds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.support.Response;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Builds API as CI uses it, end to end with a fake build-worker on the internal API. */
class BuildsApiTest extends BuildApiTestSupport {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectStorage storage;

    @Test
    void aBuildGoesFromSourceTarballToRunningRelease() throws Exception {
        User alice = newUser();
        String app = createApp(alice, "flow");
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"GREETING\":\"hello\"}").send().expect(200);
        byte[] tarball = ("source " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String sourceUrl = source(alice, tarball);
        String commit = "60883d9e8947a57e04dc9124f25df004866a2051";

        Response created = createBuild(alice, app, "{\"source_blob\":{\"url\":\"" + sourceUrl + "\",\"version\":\"" + commit
                + "\",\"checksum\":\"" + sha256(tarball) + "\"}}").expect(201).matches("build");
        JsonNode build = created.json();
        String id = build.path("id").asText();
        assertThat(build.path("status").asText()).isEqualTo("pending");
        assertThat(build.path("source_blob").path("url").asText()).isEqualTo(sourceUrl);
        assertThat(build.path("source_blob").path("version").asText()).isEqualTo(commit);
        assertThat(build.path("source_blob").path("checksum").asText()).isEqualTo(sha256(tarball));
        assertThat(build.path("user").path("email").asText()).isEqualTo(alice.email());
        assertThat(build.path("app").path("id").asText()).isEqualTo(app(alice, app).path("id").asText());
        assertThat(build.path("stack").asText()).isEqualTo("heroku-24");
        assertThat(build.path("release").isNull()).isTrue();
        assertThat(build.path("slug").isNull()).isTrue();
        String streamUrl = build.path("output_stream_url").asText();
        assertThat(streamUrl).startsWith("https://127.0.0.1:5443/build-output/" + id + "/");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM events WHERE type = 'build.created' AND payload LIKE ?",
                Integer.class, "%" + id + "%")).isEqualTo(1);

        // a build-worker claims it and gets everything as presigned URLs
        JsonNode claim = claimOwn(id);
        assertThat(claim.path("app_name").asText()).isEqualTo(app);
        assertThat(claim.path("stack").asText()).isEqualTo("heroku-24");
        assertThat(claim.path("source_url").asText()).isEqualTo(sourceUrl);
        assertThat(claim.path("source_checksum").asText()).isEqualTo(sha256(tarball));
        assertThat(claim.path("buildpacks").isArray()).isTrue();
        assertThat(claim.path("buildpacks")).isEmpty();
        assertThat(claim.path("config_vars").path("GREETING").asText()).isEqualTo("hello");
        assertThat(claim.path("lease_seconds").asInt()).isEqualTo(60);
        assertThat(claim.path("timeout_seconds").asInt()).isEqualTo(900);
        assertThat(claim.path("max_slug_bytes").asLong()).isEqualTo(MAX_SLUG_BYTES);
        String slugId = claim.path("slug_id").asText();
        assertThat(claim.path("slug_put_url").asText()).contains("/slugs/" + claim.path("app_id").asText() + "/" + slugId + ".tgz");
        assertThat(download(claim.path("source_url").asText()).body()).isEqualTo(tarball);
        assertThat(download(claim.path("cache_get_url").asText()).statusCode()).isEqualTo(404);
        assertThat(upload(claim.path("cache_put_url").asText(), new byte[] {1, 2, 3})).isEqualTo(200);
        assertThat(download(claim.path("cache_get_url").asText()).body()).containsExactly(1, 2, 3);

        // a client follows the output while the build runs
        try (OutputReader reader = new OutputReader(streamUrl)) {
            assertThat(reader.response.statusCode()).isEqualTo(200);
            assertThat(reader.response.headers().firstValue("Content-Type").orElse("")).isEqualToIgnoringCase("text/plain;charset=UTF-8");
            output(id, "-----> Building on the Heroku-24 stack\n").expect(204);
            reader.awaitText("-----> Building on the Heroku-24 stack\n");
            output(id, "       ✓ installed dependencies (ünïcödé)\n").expect(204);
            reader.awaitText("✓ installed dependencies (ünïcödé)");
            assertThat(reader.ended()).isFalse();
            assertThat(build(alice, app, id).path("status").asText()).isEqualTo("pending");

            assertThat(worker("POST", "/internal/builds/" + id + "/heartbeat").json("{}").send().expect(200)
                    .json().path("lease_seconds").asInt()).isEqualTo(60);

            byte[] slug = new byte[4096];
            new java.util.Random(7).nextBytes(slug);
            assertThat(upload(claim.path("slug_put_url").asText(), slug)).isEqualTo(200);
            JsonNode done = result(id, succeeded(slug.length, "{\"web\":\"node server.js\",\"worker\":\"node worker.js\"}"))
                    .expect(200).json();
            assertThat(done.path("release").path("version").asInt()).isEqualTo(3); // v2 was the config change
            String releaseId = done.path("release").path("id").asText();

            reader.awaitEnd();
            assertThat(reader.text()).startsWith("-----> Building on the Heroku-24 stack\n")
                    .contains("Released v3").endsWith("deployed to Slipway\n");

            JsonNode finished = build(alice, app, id);
            assertThat(finished.path("status").asText()).isEqualTo("succeeded");
            assertThat(finished.path("release").path("id").asText()).isEqualTo(releaseId);
            assertThat(finished.path("slug").path("id").asText()).isEqualTo(slugId);

            JsonNode release = call("GET", "/apps/" + app + "/releases/3").as(alice).send().expect(200).matches("release").json();
            assertThat(release.path("id").asText()).isEqualTo(releaseId);
            assertThat(release.path("slug").path("id").asText()).isEqualTo(slugId);
            assertThat(release.path("description").asText()).isEqualTo("Deploy 60883d9e");
            assertThat(release.path("current").asBoolean()).isTrue();
            assertThat(release.path("user").path("email").asText()).isEqualTo(alice.email());

            JsonNode formation = call("GET", "/apps/" + app + "/formation").as(alice).send().expect(200).json();
            assertThat(formation).hasSize(2);
            assertThat(formation.get(0).path("type").asText()).isEqualTo("web");
            assertThat(formation.get(0).path("quantity").asInt()).isEqualTo(1);
            assertThat(formation.get(0).path("command").asText()).isEqualTo("node server.js");
            assertThat(formation.get(1).path("type").asText()).isEqualTo("worker");
            assertThat(formation.get(1).path("quantity").asInt()).isZero();

            JsonNode slugJson = call("GET", "/apps/" + app + "/slugs/" + slugId).as(alice).send().expect(200).matches("slug").json();
            assertThat(slugJson.path("size").asLong()).isEqualTo(slug.length);
            assertThat(slugJson.path("commit").asText()).isEqualTo(commit);
            assertThat(slugJson.path("buildpack_provided_description").asText()).isEqualTo("Node.js");
            assertThat(slugJson.path("process_types").path("web").asText()).isEqualTo("node server.js");
            assertThat(download(slugJson.path("blob").path("url").asText()).body()).isEqualTo(slug);
            assertThat(app(alice, app).path("slug_size").asLong()).isEqualTo(slug.length);

            // a worker retrying its result after a network error gets the same answer, and nothing more happens
            JsonNode again = result(id, succeeded(slug.length, "{\"web\":\"node server.js\"}")).expect(200).json();
            assertThat(again.path("release").path("id").asText()).isEqualTo(releaseId);
            assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(3);
        }

        // a finished build's stream replays everything and ends at once (curl -N on a finished build)
        try (OutputReader replay = new OutputReader(streamUrl)) {
            replay.awaitEnd();
            assertThat(replay.text()).contains("✓ installed dependencies").contains("Released v3");
        }
    }

    @Test
    void aFailedBuildMakesNoRelease() throws Exception {
        User alice = newUser();
        String app = createApp(alice, "fails");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/src.tgz\"}}").expect(201)
                .json().path("id").asText();
        String streamUrl = build(alice, app, id).path("output_stream_url").asText();
        claimOwn(id);
        try (OutputReader reader = new OutputReader(streamUrl)) {
            output(id, "-----> Detecting buildpack\n").expect(204);
            reader.awaitText("Detecting buildpack");
            result(id, "{\"status\":\"failed\",\"message\":\"No default language could be detected for this app.\\nmore\"}")
                    .expect(200);
            reader.awaitEnd();
            assertThat(reader.text()).endsWith(" !     No default language could be detected for this app.\n");
        }
        JsonNode failed = build(alice, app, id);
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("release").isNull()).isTrue();
        assertThat(failed.path("slug").isNull()).isTrue();
        assertThat(jdbc.queryForObject("SELECT message FROM builds WHERE id = ?::uuid", String.class, id))
                .isEqualTo("No default language could be detected for this app.");
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
        assertThat(call("GET", "/apps/" + app + "/formation").as(alice).send().json()).isEmpty();

        // the worker no longer holds it
        worker("POST", "/internal/builds/" + id + "/heartbeat").json("{}").send().expectError(409, "conflict");
        output(id, "late line\n").expectError(409, "conflict");
        result(id, succeeded(1, "{}")).expectError(409, "conflict");
        result(id, "{\"status\":\"failed\",\"message\":\"again\"}").expect(200); // a retried failure is fine
        assertThat(jdbc.queryForObject("SELECT message FROM builds WHERE id = ?::uuid", String.class, id))
                .startsWith("No default language");
    }

    @Test
    void curlFollowsARunningBuild() throws Exception {
        Assumptions.assumeTrue(new java.io.File("/usr/bin/curl").canExecute(), "curl is not installed");
        User alice = newUser();
        String app = createApp(alice, "curl");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/src.tgz\"}}").expect(201)
                .json().path("id").asText();
        String stream = local(build(alice, app, id).path("output_stream_url").asText());
        claimOwn(id);
        Process curl = new ProcessBuilder("/usr/bin/curl", "-N", "-sS", "--max-time", "30", stream)
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(curl.getInputStream(), StandardCharsets.UTF_8));
            output(id, "-----> Building\n").expect(204);
            assertThat(out.readLine()).isEqualTo("-----> Building");
            assertThat(curl.isAlive()).isTrue();
            result(id, "{\"status\":\"failed\",\"message\":\"stopped here\"}").expect(200);
            assertThat(out.readLine()).isEqualTo(" !     stopped here");
            assertThat(out.readLine()).isNull();
            assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(curl.exitValue()).isZero();
        } finally {
            curl.destroyForcibly();
        }
    }

    @Test
    void listsAnAppsBuildsWithRanges() {
        User alice = newUser();
        String app = createApp(alice, "list");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/" + i + ".tgz\",\"version\":\"v" + i + "\"}}")
                    .expect(201).json().path("id").asText());
        }
        Response all = call("GET", "/apps/" + app + "/builds").as(alice).send().expect(200).matches("build");
        assertThat(ids(all.json())).containsExactlyElementsOf(ids);

        Response newest = call("GET", "/apps/" + app + "/builds").as(alice).header("Range", "started_at ..; max=2, order=desc")
                .send().expect(206).matches("build");
        assertThat(ids(newest.json())).containsExactly(ids.get(2), ids.get(1));
        Response rest = call("GET", "/apps/" + app + "/builds").as(alice).header("Range", newest.header("Next-Range"))
                .send().expect(200);
        assertThat(ids(rest.json())).containsExactly(ids.get(0));

        Response byId = call("GET", "/apps/" + app + "/builds").as(alice).header("Range", "id ..; max=10").send().expect(200);
        assertThat(ids(byId.json())).containsExactlyElementsOf(ids.stream().sorted().toList());

        User bob = newUser();
        String empty = createApp(bob, "none");
        assertThat(call("GET", "/apps/" + empty + "/builds").as(bob).send().expect(200).json()).isEmpty();
        call("GET", "/apps/" + app + "/builds/" + UUID.randomUUID()).as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/builds/not-a-uuid").as(alice).send().expectError(404, "not_found");
        drainQueue();
    }

    @Test
    void buildpacksComeFromTheRequestOrTheApp() {
        User alice = newUser();
        String app = createApp(alice, "packs");
        call("PUT", "/apps/" + app + "/buildpack-installations").as(alice)
                .json("{\"updates\":[{\"buildpack\":\"heroku/nodejs\"}]}").send().expect(200);
        drainQueue();

        JsonNode own = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201).json();
        assertThat(own.path("buildpacks").get(0).path("url").asText()).isEqualTo("urn:buildpack:heroku/nodejs");
        assertThat(own.path("buildpacks").get(0).path("name").asText()).isEqualTo("heroku/nodejs");
        JsonNode claim = claimOwn(own.path("id").asText());
        assertThat(claim.path("buildpacks")).hasSize(1);
        assertThat(claim.path("buildpacks").get(0).asText()).isEqualTo("urn:buildpack:heroku/nodejs");
        failBuild(own.path("id").asText(), "done with it");

        JsonNode given = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/b.tgz\"},"
                + "\"buildpacks\":[{\"url\":\"https://github.com/example/buildpack.git#v1\"},{\"name\":\"heroku/procfile\"}]}")
                .expect(201).matches("build").json();
        claim = claimOwn(given.path("id").asText());
        assertThat(claim.path("buildpacks").get(0).asText()).isEqualTo("https://github.com/example/buildpack.git#v1");
        assertThat(claim.path("buildpacks").get(1).asText()).isEqualTo("urn:buildpack:heroku/procfile");
        failBuild(given.path("id").asText(), "done with it");
    }

    @Test
    void purgesTheBuildCache() {
        User alice = newUser();
        String app = createApp(alice, "cache");
        String appId = app(alice, app).path("id").asText();
        String key = ObjectKeys.cache(UUID.fromString(appId));
        assertThat(upload(storage.presignPut(key), new byte[] {9})).isEqualTo(200);
        assertThat(storage.size(key)).hasValue(1);

        Response purged = call("DELETE", "/apps/" + app + "/build-cache").as(alice).send().expect(202);
        assertThat(purged.json().isObject()).isTrue();
        assertThat(storage.size(key)).isEmpty();
        call("DELETE", "/apps/" + app + "/build-cache").as(alice).send().expect(202); // nothing to purge is fine
    }

    @Test
    void refusesBadBuildRequests() {
        User alice = newUser();
        String app = createApp(alice, "bad");
        for (String body : List.of(
                "{}",
                "{\"source_blob\":null}",
                "{\"source_blob\":\"https://example.com/a.tgz\"}",
                "{\"source_blob\":{}}",
                "{\"source_blob\":{\"url\":5}}",
                "{\"source_blob\":{\"url\":\"\"}}",
                "{\"source_blob\":{\"url\":\"ftp://example.com/a.tgz\"}}",
                "{\"source_blob\":{\"url\":\"file:///etc/passwd\"}}",
                "{\"source_blob\":{\"url\":\"not a url\"}}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\",\"checksum\":\"MD5:abc\"}}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\",\"checksum\":\"SHA256:abc\"}}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\",\"version\":7}}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\",\"version\":\"a\\u0000b\"}}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"},\"buildpacks\":\"heroku/nodejs\"}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"},\"buildpacks\":[{}]}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"},\"buildpacks\":[{\"url\":\"http://insecure.example.com/bp.tgz\"}]}",
                "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"},\"buildpacks\":[{\"url\":\"someone/unknown\"}]}",
                "[1,2]")) {
            createBuild(alice, app, body).expectError(422, "invalid_params");
        }
        createBuild(alice, app, "{\"source_blob\":").expectError(400, "bad_request");
        call("POST", "/apps/" + app + "/builds").as(alice).send().expectError(422, "invalid_params");
        assertThat(call("GET", "/apps/" + app + "/builds").as(alice).send().json()).isEmpty();

        // upper-case checksums are accepted and shown normalised
        JsonNode ok = createBuild(alice, app, "{\"source_blob\":{\"url\":\"http://example.com/a.tgz\",\"checksum\":\"SHA256:"
                + "AB".repeat(32) + "\"}}").expect(201).json();
        assertThat(ok.path("source_blob").path("checksum").asText()).isEqualTo("SHA256:" + "ab".repeat(32));
        drainQueue();
    }

    @Test
    void anotherUsersAppIsNotFoundOnEveryBuildEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice, "mine");
        String id = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/a.tgz\"}}").expect(201)
                .json().path("id").asText();
        String body = "{\"source_blob\":{\"url\":\"https://example.com/evil.tgz\"}}";

        call("GET", "/apps/" + app + "/builds").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/builds/" + id).as(mallory).send().expectError(404, "not_found");
        createBuild(mallory, app, body).expectError(404, "not_found");
        createBuild(mallory, app, "{}").expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/build-cache").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/builds").send().expectError(401, "unauthorized");
        call("POST", "/apps/" + app + "/builds").json(body).send().expectError(401, "unauthorized");

        // a build is only found under its own app, even by its owner
        String other = createApp(alice, "other");
        call("GET", "/apps/" + other + "/builds/" + id).as(alice).send().expectError(404, "not_found");
        // its output stream needs the token
        String stream = build(alice, app, id).path("output_stream_url").asText();
        String wrongToken = stream.substring(0, stream.lastIndexOf('/') + 1) + "x".repeat(43);
        call("GET", java.net.URI.create(wrongToken).getPath()).send().expectError(404, "not_found");
        call("GET", "/build-output/" + id).send().expectError(404, "not_found");
        assertThat(call("GET", "/apps/" + app + "/builds").as(alice).send().json()).hasSize(1);
        drainQueue();
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(b -> out.add(b.path("id").asText()));
        return out;
    }
}
