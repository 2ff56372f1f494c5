package io.slipway.api.builds;

import static io.slipway.api.support.TestImages.blob;
import static io.slipway.api.support.TestImages.blobsRequest;
import static io.slipway.api.support.TestImages.config;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.builds.ImageBuildsApiTest.Built;
import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestImages;
import io.slipway.api.support.TestImages.Blob;
import io.slipway.shared.images.ImageConfig;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * heroku.yml naming several Dockerfiles, on the build-worker's contract against the real PostgreSQL and s3proxy:
 * a result's {@code process_images} (the image each type runs in besides the primary) is checked and verified in
 * the app's namespace like the primary, each dyno (release phase included) gets its type's image, rollback and
 * config changes keep the mapping, and no app's dyno ever runs another app's image.
 */
class ProcessImagesApiTest extends BuildApiTestSupport {
    private static final String WEB_CONFIG = config("1000:1000", "[\"node\",\"server.js\"]");
    private static final String WORKER_CONFIG = config("1001", "[\"./work\",\"--hard\"]");
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachTypeRunsInItsOwnImageAndTheReleasePhaseInTheImageHerokuYmlNames() {
        User alice = newUser();
        String app = createApp(alice, "multiimg");
        FakeAgent agent = FakeAgent.registerAlone(this, jdbc);
        Built web = built("web", blob("web layer"));
        Built worker = built("worker", blob("worker layer"), blob("worker second layer"));
        String build = newBuild(alice, app);
        upload(build, web.all());
        upload(build, worker.all());
        int v = result(build, resultWith(web, "{\"release\":\"./migrate\"}", "\"worker\":" + worker.image(WORKER_CONFIG)
                + ",\"release\":" + worker.image(WORKER_CONFIG))).expect(200).json().path("release").path("version").asInt();
        UUID release = UUID.fromString(release(alice, app, v).path("id").asText());

        JsonNode phase = agent.awaitAssignment(app, "release." + v, release);
        assertThat(phase.path("command").asText()).isEqualTo("./migrate");
        assertThat(phase.path("image").path("manifest_digest").asText()).isEqualTo(worker.manifest().digest());
        agent.state(phase.path("dyno_id").asText(), "up", null, null).expect(200);
        agent.state(phase.path("dyno_id").asText(), "down", null, 0).expect(200);
        await("the release live", () -> "succeeded".equals(release(alice, app, v).path("status").asText()));

        assertThat(formation(alice, app, "worker").path("command").asText())
                .as("a worker without run: runs its own image's command").isEqualTo("./work --hard");
        assertThat(formation(alice, app, "web").path("command").asText()).isEqualTo("node server.js");
        call("PATCH", "/apps/" + app + "/formation/worker").as(alice).json("{\"quantity\":1}").send().expect(200);
        assertRunsIn(agent, app, release, worker, web);

        // a config change and a rollback copy the release's primary image, and with it every type's image
        call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"FOO\":\"bar\"}").send().expect(200);
        deployImageWithoutWorker(alice, app);
        assertThat(formation(alice, app, "worker").path("command").asText()).isEqualTo("./w");
        JsonNode back = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"" + v + "\"}")
                .send().expect(201).json();
        assertThat(back.path("artifacts").get(0).path("id").asText())
                .isEqualTo(release(alice, app, v).path("artifacts").get(0).path("id").asText());
        assertThat(formation(alice, app, "worker").path("command").asText())
                .as("the rollback's formation follows the worker image again").isEqualTo("./work --hard");
        assertRunsIn(agent, app, null, worker, web);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM images i JOIN apps a ON a.id = i.app_id WHERE a.name = ?",
                Integer.class, app)).as("one row per distinct image (two builds)").isEqualTo(3);
    }

    /** A one-Dockerfile deploy whose worker runs {@code ./w} in the primary image. */
    private void deployImageWithoutWorker(User user, String app) {
        Built plain = built("plain", blob("plain layer"));
        String build = newBuild(user, app);
        upload(build, plain.all());
        result(build, TestImages.result(plain.image(WEB_CONFIG), "{\"worker\":\"./w\"}", "1234567890")).expect(200);
    }

    @Test
    void anotherAppsImageCannotBeNamedByAResultOrByAStoredId() {
        User alice = newUser();
        User mallory = newUser();
        String victim = createApp(alice, "mivictim");
        String thief = createApp(mallory, "mithief");
        FakeAgent agent = FakeAgent.registerAlone(this, jdbc);
        Built secret = built("victim", blob("victim's worker layer"));
        String vb = newBuild(alice, victim);
        upload(vb, secret.all());
        result(vb, TestImages.result(secret.image(WORKER_CONFIG), "{}", "1234567890")).expect(200);

        // the thief's worker names the victim's image without uploading it: not in the thief's namespace
        Built own = built("thief", blob("thief web layer"));
        String tb = newBuild(mallory, thief);
        upload(tb, own.all());
        Response r = result(tb, resultWith(own, "{}", "\"worker\":" + secret.image(WORKER_CONFIG)));
        r.expectError(422, "invalid_params");
        assertThat(r.json().path("message").asText()).contains(secret.layers().get(0).digest()).contains("not in object storage");
        assertThat(call("GET", "/apps/" + thief + "/releases").as(mallory).send().json()).hasSize(1);

        // even an id of the victim's image written into the thief's row is never looked up outside the thief's app
        String tb2 = newBuild(mallory, thief);
        upload(tb2, own.all());
        int v = result(tb2, TestImages.result(own.image(WEB_CONFIG), "{\"worker\":\"./w\"}", "1234567890"))
                .expect(200).json().path("release").path("version").asInt();
        UUID victimImage = jdbc.queryForObject("SELECT i.id FROM images i JOIN apps a ON a.id = i.app_id WHERE a.name = ?",
                UUID.class, victim);
        jdbc.update("UPDATE images SET process_images = ? WHERE id = (SELECT image_id FROM releases r JOIN apps a "
                + "ON a.id = r.app_id WHERE a.name = ? AND r.version = ?)", "{\"worker\":\"" + victimImage + "\"}", thief, v);
        call("PATCH", "/apps/" + thief + "/formation/worker").as(mallory).json("{\"quantity\":1}").send().expect(200);
        UUID release = UUID.fromString(release(mallory, thief, v).path("id").asText());
        JsonNode w = agent.awaitAssignment(thief, "worker.1", release);
        assertThat(w.path("image").path("manifest_digest").asText()).isEqualTo(own.manifest().digest());
    }

    @Test
    void anOtherImageRunningAsRootOrWithNothingToRunFailsTheBuild() {
        User alice = newUser();
        String app = createApp(alice, "mibad");
        Built web = built("bad web", blob("bad web layer"));
        Built worker = built("bad worker", blob("bad worker layer"));
        for (String[] c : new String[][] {
                {config("0", "[\"x\"]"), "The image of worker: " + ImageConfig.ROOT_REFUSED},
                {config("1000", "null"), "The image of worker has no command"}}) {
            String build = newBuild(alice, app);
            upload(build, web.all());
            upload(build, worker.all());
            Response r = result(build, resultWith(web, "{}", "\"worker\":" + worker.image(c[0])));
            r.expectError(422, "invalid_params");
            assertThat(r.json().path("message").asText()).startsWith(c[1]);
            assertThat(build(alice, app, build).path("status").asText()).isEqualTo("failed");
        }
        Response bad = result(newBuild(alice, app), resultWith(web, "{}", "\"worker\":[1]"));
        bad.expectError(422, "invalid_params");
        assertThat(bad.json().path("message").asText()).contains("image.process_images.worker");
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
    }

    private void assertRunsIn(FakeAgent agent, String app, UUID release, Built worker, Built web) {
        JsonNode w = agent.awaitAssignment(app, "worker.1", release);
        assertThat(w.path("image").path("manifest_digest").asText()).isEqualTo(worker.manifest().digest());
        assertThat(w.path("image").path("config").path("user").asText()).isEqualTo("1001");
        assertThat(w.path("command").isNull()).as("execs the worker image's entrypoint + cmd").isTrue();
        assertThat(w.path("image").path("layers")).hasSize(2);
        assertThat(download(w.path("image").path("layers").get(1).path("url").asText()).body())
                .isEqualTo(worker.layers().get(1).bytes());
        JsonNode webDyno = agent.awaitAssignment(app, "web.1", release);
        assertThat(webDyno.path("image").path("manifest_digest").asText()).isEqualTo(web.manifest().digest());
    }

    /** An image whose manifest and config are its own (not another test image's). */
    private static Built built(String name, Blob... layers) {
        return new Built(blob(name + " manifest " + UUID.randomUUID()), blob(name + " config " + UUID.randomUUID()), List.of(layers));
    }

    /** A result of {@code primary} with {@code processImages} (the JSON members of {@code process_images}). */
    private static String resultWith(Built primary, String processTypes, String processImages) {
        String plain = TestImages.result(primary.image(WEB_CONFIG), processTypes, "abcdef0123456789");
        return plain.substring(0, plain.length() - 2) + ",\"process_images\":{" + processImages + "}}}";
    }

    private String newBuild(User user, String app) {
        String id = createBuild(user, app, "{\"source_blob\":{\"url\":\"https://example.com/" + UUID.randomUUID() + ".tgz\"}}")
                .expect(201).json().path("id").asText();
        claimOwn(id);
        return id;
    }

    private void upload(String build, List<Blob> blobs) {
        JsonNode answer = worker("POST", "/internal/builds/" + build + "/image-blobs").json(blobsRequest(blobs)).send()
                .expect(200).json().path("blobs");
        for (int i = 0; i < blobs.size(); i++) {
            JsonNode url = answer.get(i).path("put_url");
            if (!url.isNull()) assertThat(upload(url.asText(), blobs.get(i).bytes())).isEqualTo(200);
        }
    }

    private JsonNode release(User user, String app, int version) {
        return call("GET", "/apps/" + app + "/releases/" + version).as(user).send().expect(200).matches("release").json();
    }

    private JsonNode formation(User user, String app, String type) {
        return call("GET", "/apps/" + app + "/formation/" + type).as(user).send().expect(200).json();
    }
}
