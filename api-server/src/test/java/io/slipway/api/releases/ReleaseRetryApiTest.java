package io.slipway.api.releases;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.images.Image;
import io.slipway.api.support.FakeAgent;
import io.slipway.api.support.Response;
import io.slipway.api.support.StorageApiTest;
import io.slipway.shared.images.ImageConfig;
import io.slipway.shared.images.ImageLayer;
import io.slipway.shared.images.ImageRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code heroku releases:retry} through the API, as the stock CLI 11.10 drives it: it reads the formation and
 * needs the type {@code release} there, then posts {@code {"description": "Retry of vN: ...", "slug": <vN's
 * slug.id>}} (no {@code slug} at all for an image release) and follows {@code output_stream_url}. The
 * {@code release} entry is shown, never stored: it cannot be scaled, and the runtime never sees it.
 */
class ReleaseRetryApiTest extends StorageApiTest {
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    @BeforeEach
    void noOtherRuntime() {
        FakeAgent.clearRuntime(jdbc);
    }

    @Test
    void aSlugReleaseWhoseReleasePhaseFailedIsRetriedAndGoesLive() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "retry");
        assertThat(types(alice, app)).isEmpty();
        String slug = uploadedSlug(alice, app, "{\"web\":\"npm start\",\"release\":\"./migrate.sh\"}");
        JsonNode first = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":\"" + slug + "\"}")
                .send().expect(201).json();
        int v = first.path("version").asInt();

        // the formation shows the release phase of the newest release, pending or failed, as Heroku does
        Response listed = call("GET", "/apps/" + app + "/formation").as(alice).send().expect(200).matches("formation");
        JsonNode release = listed.json().get(0);
        assertThat(release.path("type").asText()).isEqualTo("release");
        assertThat(release.path("quantity").asInt()).isZero();
        assertThat(release.path("size").asText()).isEqualTo("Basic");
        assertThat(release.path("command").asText()).isEqualTo("./migrate.sh");
        finish(agent, app, "release." + v, UUID.fromString(first.path("id").asText()), 1);
        assertThat(status(alice, app, v)).isEqualTo("failed");
        assertThat(types(alice, app)).containsExactly("release");
        JsonNode info = call("GET", "/apps/" + app + "/formation/release").as(alice).send().expect(200)
                .matches("formation").json();
        assertThat(info.path("id").asText()).isEqualTo(release.path("id").asText());
        call("GET", "/apps/" + app + "/formation/" + release.path("id").asText()).as(alice).send().expect(200);

        // exactly what the CLI sends
        JsonNode retry = call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"description\":\"Retry of v" + v + ": Deploy\",\"slug\":\"" + slug + "\"}")
                .send().expect(201).matches("release").json();
        assertThat(retry.path("version").asInt()).isEqualTo(v + 1);
        assertThat(retry.path("description").asText()).isEqualTo("Retry of v" + v + ": Deploy");
        assertThat(retry.path("status").asText()).isEqualTo("pending");
        assertThat(retry.path("output_stream_url").asText()).contains("/release-output/");
        UUID retryId = UUID.fromString(retry.path("id").asText());
        JsonNode phase = agent.awaitAssignment(app, "release." + (v + 1), retryId);
        assertThat(phase.path("command").asText()).isEqualTo("./migrate.sh");
        agent.state(phase.path("dyno_id").asText(), "down", null, 0).expect(200);
        assertThat(status(alice, app, v + 1)).isEqualTo("succeeded");
        assertThat(types(alice, app)).containsExactly("release", "web");
        agent.awaitAssignment(app, "web.1", retryId);

        // the release entry is never stored: formation.changed (what the scheduler follows) does not carry it
        List<String> stored = jdbc.queryForList("SELECT type FROM formations WHERE app_id = (SELECT id FROM apps "
                + "WHERE name = ?) ORDER BY type", String.class, app);
        assertThat(stored).containsExactly("web");
        String event = jdbc.queryForObject("SELECT payload FROM events WHERE app_name = ? AND type = "
                + "'formation.changed' ORDER BY seq DESC LIMIT 1", String.class, app);
        assertThat(event).doesNotContain("\"release\"");
    }

    @Test
    void theReleasePhaseCannotBeScaledOrResizedButPsTypeOfEveryTypeStillWorks() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "retry");
        String slug = uploadedSlug(alice, app, "{\"web\":\"npm start\",\"release\":\"./migrate.sh\"}");
        deployLive(agent, alice, app, slug);
        assertThat(types(alice, app)).containsExactly("release", "web");

        Response scale = call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"quantity\":\"1\",\"type\":\"release\"}]}").send().expectError(422, "invalid_params");
        assertThat(scale.json().path("message").asText()).contains("Cannot scale or resize release");
        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"quantity\":\"2\",\"type\":\"web\"},{\"quantity\":\"0\",\"type\":\"release\"}]}")
                .send().expectError(422, "invalid_params");
        call("PATCH", "/apps/" + app + "/formation/release").as(alice).json("{\"quantity\":1}").send()
                .expectError(422, "invalid_params");
        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"size\":\"Standard-2X\",\"type\":\"release\"}]}").send().expectError(422, "invalid_params");
        assertThat(formation(alice, app, "web").path("quantity").asInt()).isEqualTo(1);

        // heroku ps:type Standard-2X: one update per listed type; release keeps the size it runs on
        call("PATCH", "/apps/" + app + "/formation").as(alice)
                .json("{\"updates\":[{\"size\":\"Standard-2X\",\"type\":\"release\"},{\"size\":\"Standard-2X\",\"type\":\"web\"}]}")
                .send().expect(200).matches("formation");
        assertThat(formation(alice, app, "web").path("size").asText()).isEqualTo("Standard-2X");
        assertThat(formation(alice, app, "release").path("size").asText()).isEqualTo("Basic");
    }

    @Test
    void anImageReleaseIsRetriedWithoutASlugAndItsReleasePhaseRunsAgain() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        String app = createApp(alice, "retry");
        UUID imageRelease = deployImage(app, Map.of("web", "node server.js", "release", "./migrate"));
        JsonNode failed = release(alice, app, imageRelease);
        int v = failed.path("version").asInt();
        assertThat(failed.path("slug").isNull()).isTrue();
        finish(agent, app, "release." + v, imageRelease, 1);
        assertThat(types(alice, app)).containsExactly("release");

        // the CLI's body for an image release: it has no slug.id to send
        JsonNode retry = call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"description\":\"Retry of v" + v + ": Deploy\"}").send().expect(201).matches("release").json();
        assertThat(retry.path("version").asInt()).isEqualTo(v + 1);
        assertThat(retry.path("status").asText()).isEqualTo("pending");
        assertThat(retry.path("artifacts").get(0).path("type").asText()).isEqualTo("oci-image");
        assertThat(retry.path("artifacts").get(0).path("id").asText())
                .isEqualTo(failed.path("artifacts").get(0).path("id").asText());
        assertThat(retry.path("output_stream_url").asText()).contains("/release-output/");
        UUID retryId = UUID.fromString(retry.path("id").asText());
        finish(agent, app, "release." + (v + 1), retryId, 0);
        assertThat(status(alice, app, v + 1)).isEqualTo("succeeded");
        assertThat(types(alice, app)).containsExactly("release", "web");
        agent.awaitAssignment(app, "web.1", retryId);

        // no description: Heroku-like default text
        JsonNode plain = call("POST", "/apps/" + app + "/releases").as(alice).json("{}").send().expect(201).json();
        assertThat(plain.path("description").asText()).isEqualTo("Retry of v" + (v + 1));
    }

    @Test
    void nothingToRetryAndAnotherTenantsAppOrSlugAreRefused() {
        FakeAgent agent = FakeAgent.register(this);
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice, "retry");
        Response none = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"description\":\"Retry of v1: x\"}")
                .send().expectError(422, "invalid_params");
        assertThat(none.json().path("message").asText()).contains("no release with code");
        String slug = uploadedSlug(alice, app, "{\"web\":\"npm start\",\"release\":\"./migrate.sh\"}");
        deployLive(agent, alice, app, slug);

        // mallory can neither see alice's release phase, retry her release, nor release her slug in his own app
        String theirs = createApp(mallory, "theirs");
        call("GET", "/apps/" + app + "/formation").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/formation/release").as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(mallory).json("{\"description\":\"Retry\"}").send()
                .expectError(404, "not_found");
        call("POST", "/apps/" + theirs + "/releases").as(mallory)
                .json("{\"description\":\"Retry of v2: Deploy\",\"slug\":\"" + slug + "\"}").send().expectError(404, "not_found");
        call("POST", "/apps/" + theirs + "/releases").as(mallory).json("{\"description\":\"Retry\"}").send()
                .expectError(422, "invalid_params");
        assertThat(types(mallory, theirs)).isEmpty();
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(2);
        assertThat(call("GET", "/apps/" + theirs + "/releases").as(mallory).send().json()).hasSize(1);
    }

    // ---- helpers

    private String uploadedSlug(User user, String app, String processTypes) {
        JsonNode slug = call("POST", "/apps/" + app + "/slugs").as(user).json("{\"process_types\":" + processTypes + "}")
                .send().expect(201).json();
        assertThat(upload(slug.path("blob").path("url").asText(), new byte[] {1, 2, 3})).isEqualTo(200);
        return slug.path("id").asText();
    }

    /** Releases the slug through the API; its release phase passes. */
    private void deployLive(FakeAgent agent, User user, String app, String slug) {
        JsonNode r = call("POST", "/apps/" + app + "/releases").as(user).json("{\"slug\":\"" + slug + "\"}")
                .send().expect(201).json();
        finish(agent, app, "release." + r.path("version").asInt(), UUID.fromString(r.path("id").asText()), 0);
        assertThat(r.path("version").asInt()).isEqualTo(2);
    }

    /** A Dockerfile deploy's last step ({@link DeployImage}) with a verified image row; returns the release id. */
    private UUID deployImage(String app, Map<String, String> processTypes) {
        TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        return tx.execute(s -> {
            App a = context.getBean(AppLock.class).lock(context.getBean(AppRepository.class).findByName(app).orElseThrow());
            String layer = "sha256:" + "cd".repeat(32);
            ImageRef ref = new ImageRef("sha256:" + "ef".repeat(32), "sha256:" + "12".repeat(32),
                    List.of(new ImageLayer(layer, 10, ImageLayer.GZIP_LAYER, null)),
                    new ImageConfig("1000:1000", List.of(), "/app", null, List.of("node", "server.js")));
            Image image = Image.ofApp(a.id(), ref, Set.of(), processTypes, "0123456789abcdef", null);
            return context.getBean(DeployImage.class).deploy(a, image, null).id();
        });
    }

    private void finish(FakeAgent agent, String app, String name, UUID release, int exit) {
        JsonNode d = agent.awaitAssignment(app, name, release);
        agent.state(d.path("dyno_id").asText(), "down", null, exit).expect(200);
    }

    private JsonNode release(User user, String app, UUID id) {
        return call("GET", "/apps/" + app + "/releases/" + id).as(user).send().expect(200).json();
    }

    private String status(User user, String app, int version) {
        return call("GET", "/apps/" + app + "/releases/" + version).as(user).send().expect(200).json().path("status").asText();
    }

    private JsonNode formation(User user, String app, String type) {
        return call("GET", "/apps/" + app + "/formation/" + type).as(user).send().expect(200).json();
    }

    private List<String> types(User user, String app) {
        List<String> out = new ArrayList<>();
        call("GET", "/apps/" + app + "/formation").as(user).send().expect(200).json()
                .forEach(f -> out.add(f.path("type").asText()));
        return out;
    }
}
