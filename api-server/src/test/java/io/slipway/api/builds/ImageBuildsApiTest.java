package io.slipway.api.builds;

import static io.slipway.api.support.TestImages.blob;
import static io.slipway.api.support.TestImages.blobsRequest;
import static io.slipway.api.support.TestImages.config;
import static io.slipway.api.support.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.storage.ObjectKeys;
import io.slipway.api.storage.ObjectStorage;
import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestImages;
import io.slipway.api.support.TestImages.Blob;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.images.ImageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Dockerfile deploys on the build-worker's contract, against the real PostgreSQL and s3proxy: which blobs a
 * worker uploads (per app, never across apps), what a result with an image must prove before a release exists,
 * image releases next to slug releases (rollback both ways), what an agent gets for an image dyno.
 */
class ImageBuildsApiTest extends BuildApiTestSupport {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectStorage storage;

    /** What one image build uploads: manifest, config, layers. */
    record Built(Blob manifest, Blob config, List<Blob> layers) {
        List<Blob> all() {
            List<Blob> all = new ArrayList<>(layers);
            all.add(config);
            all.add(manifest);
            return all;
        }

        String image(String configJson) {
            return TestImages.image(manifest, config, layers, configJson);
        }
    }

    static Built built(Blob... layers) {
        return new Built(blob("manifest"), blob("config"), List.of(layers));
    }

    String newBuild(User user, String app) {
        String id = createBuild(user, app, "{\"source_blob\":{\"url\":\"https://example.com/" + UUID.randomUUID() + ".tgz\"}}")
                .expect(201).json().path("id").asText();
        claimOwn(id);
        return id;
    }

    Response imageBlobs(String build, List<Blob> blobs) {
        return worker("POST", "/internal/builds/" + build + "/image-blobs").json(blobsRequest(blobs)).send();
    }

    /** Asks for the blobs, uploads those asked for; returns the digests that were asked for. */
    List<String> upload(String build, List<Blob> blobs) {
        JsonNode answer = imageBlobs(build, blobs).expect(200).json().path("blobs");
        assertThat(answer).hasSize(blobs.size());
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            assertThat(answer.get(i).path("digest").asText()).isEqualTo(blobs.get(i).digest());
            JsonNode url = answer.get(i).path("put_url");
            if (url.isNull()) continue;
            assertThat(upload(url.asText(), blobs.get(i).bytes())).isEqualTo(200);
            asked.add(blobs.get(i).digest());
        }
        return asked;
    }

    /** A whole image deploy: build, upload, result; returns the result's release version. */
    int deployImage(User user, String app, Built image, String processTypes) {
        String build = newBuild(user, app);
        upload(build, image.all());
        int version = result(build, TestImages.result(image.image(config("1000:1000", "[\"node\",\"server.js\"]")),
                processTypes, "abcdef0123456789")).expect(200).json().path("release").path("version").asInt();
        JsonNode done = build(user, app, build);
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("slug").isNull()).as("an image build made no slug").isTrue();
        assertThat(done.path("release").path("id").asText()).isNotEmpty();
        return version;
    }

    int deploySlug(User user, String app, String processTypes) {
        String build = createBuild(user, app, "{\"source_blob\":{\"url\":\"https://example.com/s.tgz\"}}")
                .expect(201).json().path("id").asText();
        JsonNode claim = claimOwn(build);
        assertThat(upload(claim.path("slug_put_url").asText(), new byte[] {1, 2, 3})).isEqualTo(200);
        return result(build, succeeded(3, processTypes)).expect(200).json().path("release").path("version").asInt();
    }

    JsonNode release(User user, String app, int version) {
        return call("GET", "/apps/" + app + "/releases/" + version).as(user).send().expect(200).matches("release").json();
    }

    JsonNode formation(User user, String app, String type) {
        return call("GET", "/apps/" + app + "/formation/" + type).as(user).send().expect(200).json();
    }

    @Test
    void aBlobIsStoredOncePerAppAndNeverAskedForWhenItIsABaseBlob() {
        User alice = newUser();
        String appA = createApp(alice, "imga");
        String appB = createApp(alice, "imgb");
        Blob shared = blob("layer shared by two releases");
        Built first = built(shared, blob("first app layer"));
        int v = deployImage(alice, appA, first, "{}");
        assertThat(v).isEqualTo(2);
        UUID appAId = UUID.fromString(app(alice, appA).path("id").asText());
        assertThat(storage.size(ObjectKeys.appImageBlob(appAId, shared.digest()))).hasValue(shared.size());

        // a base blob the operator imported: no build uploads it
        Blob base = blob("base layer");
        JsonNode baseAnswer = asComponent(ComponentRole.OPERATOR, "POST", "/internal/images/blobs")
                .json(blobsRequest(List.of(base))).send().expect(200).json().path("blobs");
        assertThat(upload(baseAnswer.get(0).path("put_url").asText(), base.bytes())).isEqualTo(200);

        String second = newBuild(alice, appA);
        Blob fresh = blob("second release layer");
        assertThat(upload(second, List.of(base, shared, fresh))).containsExactly(fresh.digest());
        failBuild(second, "done");

        // app B's answer does not depend on app A's blobs: it uploads the shared layer itself
        String other = newBuild(alice, appB);
        assertThat(upload(other, List.of(shared, base))).containsExactly(shared.digest());
        failBuild(other, "done");
        // a stored blob of another size is asked for again (its PUT replaces it)
        String third = newBuild(alice, appA);
        Blob truncated = new Blob(java.util.Arrays.copyOf(shared.bytes(), 3), shared.digest());
        assertThat(upload(third, List.of(truncated))).containsExactly(shared.digest());
        failBuild(third, "done");
    }

    @Test
    void anAppCannotReleaseAnotherAppsBlobs() {
        User alice = newUser();
        User mallory = newUser();
        String victim = createApp(alice, "imgvictim");
        String thief = createApp(mallory, "imgthief");
        Built secret = built(blob("victim's private layer"));
        deployImage(alice, victim, secret, "{}");
        // the thief's build names the victim's blobs without uploading them: they are not in its namespace
        String build = newBuild(mallory, thief);
        Response r = result(build, TestImages.result(secret.image(config("app", "[\"x\"]")), "{}", "1234567890"));
        r.expectError(422, "invalid_params");
        assertThat(r.json().path("message").asText()).contains(secret.layers().get(0).digest()).contains("not in object storage");
        assertThat(call("GET", "/apps/" + thief + "/releases").as(mallory).send().json()).hasSize(1);
    }

    @Test
    void imageBlobsRejectsBadInputAndCallersWithoutTheLease() {
        User alice = newUser();
        String app = createApp(alice, "imgbad");
        String build = newBuild(alice, app);
        Blob b = blob("x");
        worker("POST", "/internal/builds/" + build + "/image-blobs").json("{\"blobs\":[{\"digest\":\"sha256:ABC\",\"size\":1}]}")
                .send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/" + build + "/image-blobs").json("{\"blobs\":[{\"digest\":\"" + b.digest()
                + "\",\"size\":-1}]}").send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/" + build + "/image-blobs").json("{\"blobs\":[{\"digest\":\"" + b.digest()
                + "\",\"size\":" + (MAX_SLUG_BYTES + 1) + "}]}").send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/" + build + "/image-blobs").json("{\"blobs\":[]}").send().expectError(422, "invalid_params");
        StringBuilder many = new StringBuilder("{\"blobs\":[");
        for (int i = 0; i < 513; i++) many.append(i == 0 ? "" : ",").append(blob("b" + i).request());
        worker("POST", "/internal/builds/" + build + "/image-blobs").json(many + "]}").send().expectError(422, "invalid_params");
        worker("POST", "/internal/builds/" + build + "/image-blobs").json("{\"worker_id\":\"someone-else\",\"blobs\":["
                + b.request() + "]}").send().expectError(409, "conflict");
        failBuild(build, "done");
        imageBlobs(build, List.of(b)).expectError(409, "conflict");
    }

    @Test
    void aResultWithAMissingLayerFailsTheBuildAndTheRunningReleaseStays() {
        User alice = newUser();
        String app = createApp(alice, "imgmiss");
        int serving = deployImage(alice, app, built(blob("good layer")), "{}");
        String build = newBuild(alice, app);
        Built broken = built(blob("uploaded"), blob("never uploaded"));
        upload(build, List.of(broken.layers().get(0), broken.config(), broken.manifest()));
        String missing = broken.layers().get(1).digest();
        Response r = result(build, TestImages.result(broken.image(config("app", "[\"x\"]")), "{}", "1234567890"));
        r.expectError(422, "invalid_params");
        assertThat(r.json().path("message").asText())
                .isEqualTo("Image layer " + missing + " is not in object storage: its upload never completed.");
        assertThat(build(alice, app, build).path("status").asText()).isEqualTo("failed");
        JsonNode releases = call("GET", "/apps/" + app + "/releases").as(alice).send().expect(200).json();
        assertThat(releases.get(releases.size() - 1).path("version").asInt()).isEqualTo(serving);
        assertThat(releases.get(releases.size() - 1).path("current").asBoolean()).isTrue();
    }

    @Test
    void zstdLayersAndAnImageWithNothingToRunFailTheBuild() {
        User alice = newUser();
        String app = createApp(alice, "imgzstd");
        Built image = built(blob("zstd layer"));
        String build = newBuild(alice, app);
        upload(build, image.all());
        String zstd = image.image(config("app", "[\"x\"]")).replace(TestImages.GZIP, "application/vnd.oci.image.layer.v1.tar+zstd");
        Response r = result(build, TestImages.result(zstd, "{}", "1234567890"));
        r.expectError(422, "invalid_params");
        assertThat(r.json().path("message").asText()).contains("zstd").contains(image.layers().get(0).digest());
        assertThat(build(alice, app, build).path("status").asText()).isEqualTo("failed");

        String second = newBuild(alice, app);
        upload(second, image.all());
        String noCommand = image.image(config("app", "null"));
        result(second, TestImages.result(noCommand, "{\"release\":\"./migrate\"}", "1234567890"))
                .expectError(422, "invalid_params");
        assertThat(build(alice, app, second).path("status").asText()).isEqualTo("failed");
        // malformed JSON shapes are refused before anything changes: the build is still running
        String third = newBuild(alice, app);
        result(third, "{\"status\":\"succeeded\",\"image\":{\"manifest_digest\":1}}").expectError(422, "invalid_params");
        assertThat(build(alice, app, third).path("status").asText()).isEqualTo("pending");
        failBuild(third, "done");
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
    }

    @Test
    void imagesRunningAsRootAreRefusedInEverySpelling() {
        User alice = newUser();
        String app = createApp(alice, "imgroot");
        Built image = built(blob("root layer"));
        for (String user : new String[] {null, "", "root", "0", "00", "0:0", "0:1000", "root:root"}) {
            String build = newBuild(alice, app);
            upload(build, image.all());
            Response r = result(build, TestImages.result(image.image(config(user, "[\"sh\"]")), "{}", "1234567890"));
            r.expectError(422, "invalid_params");
            assertThat(r.json().path("message").asText()).as("user %s", user).isEqualTo(ImageConfig.ROOT_REFUSED);
            assertThat(build(alice, app, build).path("status").asText()).isEqualTo("failed");
        }
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
    }

    @Test
    void rollbackCrossesFromAnImageReleaseToASlugReleaseAndBack() {
        User alice = newUser();
        String app = createApp(alice, "imgroll");
        int slugV = deploySlug(alice, app, "{\"web\":\"node slug.js\"}");
        int imageV = deployImage(alice, app, built(blob("roll layer")), "{}");
        JsonNode image = release(alice, app, imageV);
        assertThat(image.path("slug").isNull()).isTrue();
        assertThat(image.path("artifacts").get(0).path("type").asText()).isEqualTo("oci-image");
        assertThat(image.path("description").asText()).isEqualTo("Deploy abcdef01");
        assertThat(formation(alice, app, "web").path("command").asText()).isEqualTo("node server.js");

        JsonNode back = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"" + slugV + "\"}")
                .send().expect(201).json();
        assertThat(back.path("slug").path("id").asText()).isEqualTo(release(alice, app, slugV).path("slug").path("id").asText());
        assertThat(formation(alice, app, "web").path("command").asText()).isEqualTo("node slug.js");

        JsonNode again = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"" + imageV + "\"}")
                .send().expect(201).json();
        assertThat(again.path("slug").isNull()).isTrue();
        assertThat(again.path("artifacts").get(0).path("id").asText()).isEqualTo(image.path("artifacts").get(0).path("id").asText());
        assertThat(formation(alice, app, "web").path("command").asText()).isEqualTo("node server.js");
        // a config change keeps running the image
        JsonNode configRelease = call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"FOO\":\"bar\"}")
                .send().expect(200).json();
        JsonNode latest = call("GET", "/apps/" + app + "/releases").as(alice).send().json();
        assertThat(latest.get(latest.size() - 1).path("artifacts").get(0).path("type").asText()).isEqualTo("oci-image");
        assertThat(configRelease.path("FOO").asText()).isEqualTo("bar");
    }

    @Test
    void aRepeatedResultAnswersAsTheFirstAndMakesNoSecondRelease() {
        User alice = newUser();
        String app = createApp(alice, "imgrepeat");
        Built image = built(blob("repeat layer"));
        String build = newBuild(alice, app);
        upload(build, image.all());
        String body = TestImages.result(image.image(config("app", "[\"x\"]")), "{}", "1234567890");
        JsonNode first = result(build, body).expect(200).json();
        JsonNode again = result(build, body).expect(200).json();
        assertThat(again.path("release").path("id").asText()).isEqualTo(first.path("release").path("id").asText());
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(2);
    }

    @Test
    void anImagesReleasePhaseRunsInTheImageBeforeTheReleaseGoesLive() {
        User alice = newUser();
        String app = createApp(alice, "imgphase");
        FakeAgent agent = FakeAgent.registerAlone(this, jdbc);
        Built built = built(blob("phase layer"));
        String build = newBuild(alice, app);
        upload(build, built.all());
        int v = result(build, TestImages.result(built.image(config("app", "[\"node\",\"server.js\"]")),
                "{\"release\":\"./migrate\"}", "1234567890")).expect(200).json().path("release").path("version").asInt();
        JsonNode pending = release(alice, app, v);
        assertThat(pending.path("status").asText()).isEqualTo("pending");
        UUID id = UUID.fromString(pending.path("id").asText());
        JsonNode phase = agent.awaitAssignment(app, "release." + v, id);
        assertThat(phase.path("command").asText()).isEqualTo("./migrate");
        assertThat(phase.path("slug").isNull()).isTrue();
        assertThat(phase.path("image").path("manifest_digest").asText()).isEqualTo(built.manifest().digest());
        agent.state(phase.path("dyno_id").asText(), "up", null, null).expect(200);
        agent.state(phase.path("dyno_id").asText(), "down", null, 0).expect(200);
        await("the release live", () -> "succeeded".equals(release(alice, app, v).path("status").asText()));
        assertThat(formation(alice, app, "web").path("command").asText()).isEqualTo("node server.js");
        JsonNode web = agent.awaitAssignment(app, "web.1", id);
        assertThat(web.path("command").isNull()).isTrue();
    }

    @Test
    void anImageDynoRunsTheImagesCommandAndADeclaredWorkerItsOwn() {
        User alice = newUser();
        String app = createApp(alice, "imgrun");
        FakeAgent agent = FakeAgent.registerAlone(this, jdbc);
        Built built = built(blob("run layer"));
        int v = deployImage(alice, app, built, "{\"worker\":\"node worker.js\"}");
        call("PATCH", "/apps/" + app + "/formation/worker").as(alice).json("{\"quantity\":1}").send().expect(200);
        UUID release = UUID.fromString(release(alice, app, v).path("id").asText());

        JsonNode web = agent.awaitAssignment(app, "web.1", release);
        assertThat(web.path("slug").isNull()).isTrue();
        assertThat(web.path("command").isNull()).isTrue();
        JsonNode image = web.path("image");
        assertThat(image.path("manifest_digest").asText()).isEqualTo(built.manifest().digest());
        assertThat(image.path("config").path("cmd").get(1).asText()).isEqualTo("server.js");
        assertThat(image.path("config").path("user").asText()).isEqualTo("1000:1000");
        JsonNode layer = image.path("layers").get(0);
        assertThat(layer.path("digest").asText()).isEqualTo(built.layers().get(0).digest());
        assertThat(download(layer.path("url").asText()).body()).isEqualTo(built.layers().get(0).bytes());

        JsonNode worker = agent.awaitAssignment(app, "worker.1", release);
        assertThat(worker.path("command").asText()).isEqualTo("node worker.js");
        assertThat(worker.path("image").path("manifest_digest").asText()).isEqualTo(built.manifest().digest());
    }

    @Test
    void theClaimOfTheNextBuildCarriesThePreviousImage() {
        User alice = newUser();
        String app = createApp(alice, "imgprev");
        String first = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/p.tgz\"}}")
                .expect(201).json().path("id").asText();
        assertThat(claimOwn(first).path("previous_image").isNull()).isTrue();
        failBuild(first, "done");
        Built built = built(blob("prev layer"));
        deployImage(alice, app, built, "{}");
        String next = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/q.tgz\"}}")
                .expect(201).json().path("id").asText();
        JsonNode previous = claimOwn(next).path("previous_image");
        assertThat(previous.path("manifest_digest").asText()).isEqualTo(built.manifest().digest());
        assertThat(previous.path("config_digest").asText()).isEqualTo(built.config().digest());
        assertThat(download(previous.path("manifest_url").asText()).body()).isEqualTo(built.manifest().bytes());
        assertThat(download(previous.path("layers").get(0).path("url").asText()).body())
                .isEqualTo(built.layers().get(0).bytes());
        failBuild(next, "done");
    }

    @Test
    void aDestroyedAppsImageBlobsGoWithIt() {
        User alice = newUser();
        String app = createApp(alice, "imggone");
        UUID appId = UUID.fromString(app(alice, app).path("id").asText());
        Built built = built(blob("doomed layer"));
        deployImage(alice, app, built, "{}");
        String key = ObjectKeys.appImageBlob(appId, built.layers().get(0).digest());
        assertThat(storage.size(key)).isPresent();
        call("DELETE", "/apps/" + app).as(alice).send().expect(200);
        assertThat(storage.size(key)).isEmpty();
        assertThat(storage.size(ObjectKeys.appImageBlob(appId, built.manifest().digest()))).isEmpty();
    }

    @Test
    void stackSetContainerMakesTheAppsBuildsContainerBuilds() {
        User alice = newUser();
        String app = createApp(alice, "imgstack");
        JsonNode updated = call("PATCH", "/apps/" + app).as(alice).json("{\"build_stack\":\"container\"}")
                .send().expect(200).matches("app").json();
        assertThat(updated.path("build_stack").path("name").asText()).isEqualTo("container");
        assertThat(updated.path("stack").path("name").asText()).isEqualTo("container"); // never deployed: at once
        JsonNode stacks = call("GET", "/stacks").as(alice).send().expect(200).matches("stack").json();
        call("GET", "/stacks/container").as(alice).send().expect(200).matches("stack");
        List<String> names = new ArrayList<>();
        stacks.forEach(s -> names.add(s.path("name").asText()));
        assertThat(names).contains("container", "heroku-24");
        String build = createBuild(alice, app, "{\"source_blob\":{\"url\":\"https://example.com/c.tgz\"}}")
                .expect(201).json().path("id").asText();
        assertThat(claimOwn(build).path("stack").asText()).isEqualTo("container");
        failBuild(build, "done");
        call("PATCH", "/apps/" + app).as(alice).json("{\"build_stack\":\"cedar-99\"}").send().expectError(422, "invalid_params");
    }

    @Test
    void aDeployedAppMovesToTheContainerStackWithItsNextDeploy() {
        User alice = newUser();
        String app = createApp(alice, "imgmove");
        deploySlug(alice, app, "{\"web\":\"node slug.js\"}");
        JsonNode set = call("PATCH", "/apps/" + app).as(alice).json("{\"build_stack\":\"container\"}").send()
                .expect(200).json();
        assertThat(set.path("build_stack").path("name").asText()).isEqualTo("container");
        assertThat(set.path("stack").path("name").asText()).isEqualTo("heroku-24"); // until the next deploy
        deployImage(alice, app, built(blob("moved layer")), "{}");
        JsonNode after = app(alice, app);
        assertThat(after.path("stack").path("name").asText()).isEqualTo("container");
        assertThat(after.path("slug_size").asLong()).isZero();
        JsonNode snapshot = asComponent(ComponentRole.ROUTER, "GET", "/internal/snapshot").send().expect(200).json();
        JsonNode current = null;
        for (JsonNode a : snapshot.path("apps")) if (a.path("name").asText().equals(app)) current = a.path("current_release");
        assertThat(current.path("slug_id").isNull()).isTrue();
        assertThat(current.path("image_id").asText()).isNotEmpty();
    }
}
