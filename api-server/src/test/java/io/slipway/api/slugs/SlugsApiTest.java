package io.slipway.api.slugs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.apps.Stacks;
import io.slipway.api.support.Response;
import io.slipway.api.support.StorageApiTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Heroku's "deploying slugs using the Platform API": create a slug, PUT the tarball, release it. */
class SlugsApiTest extends StorageApiTest {
    private static final String COMMIT = "60883d9e8947a57e04dc9124f25df004866a2051";

    @Test
    void anUploadedSlugIsReleased() {
        User alice = newUser();
        String app = createApp(alice, "slug");
        Response created = call("POST", "/apps/" + app + "/slugs").as(alice)
                .json("{\"process_types\":{\"web\":\"./bin/web -p $PORT\",\"release\":\"./bin/migrate\"},"
                        + "\"checksum\":\"SHA256:" + "E3".repeat(32) + "\",\"commit\":\"" + COMMIT + "\","
                        + "\"commit_description\":\"fixed a bug\",\"buildpack_provided_description\":\"Ruby/Rack\"}")
                .send().expect(201).matches("slug");
        JsonNode slug = created.json();
        String id = slug.path("id").asText();
        assertThat(slug.path("blob").path("method").asText()).isEqualTo("PUT");
        assertThat(slug.path("blob").path("url").asText()).contains("/slugs/").contains(id + ".tgz");
        assertThat(slug.path("size").isNull()).isTrue();
        assertThat(slug.path("checksum").asText()).isEqualTo("SHA256:" + "e3".repeat(32));
        assertThat(slug.path("stack").path("name").asText()).isEqualTo("heroku-24");
        assertThat(slug.path("stack").path("id").asText()).isEqualTo(Stacks.id("heroku-24").toString());
        assertThat(slug.path("process_types").path("web").asText()).isEqualTo("./bin/web -p $PORT");

        // not uploaded yet: nothing to release
        Response early = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":\"" + id + "\"}").send()
                .expectError(422, "invalid_params");
        assertThat(early.json().path("message").asText()).contains("upload never completed");
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);

        byte[] tarball = new byte[2048];
        new java.util.Random(1).nextBytes(tarball);
        assertThat(upload(slug.path("blob").path("url").asText(), tarball)).isEqualTo(200);
        Response release = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":\"" + id + "\"}").send()
                .expect(201).matches("release");
        assertThat(release.json().path("version").asInt()).isEqualTo(2);
        assertThat(release.json().path("slug").path("id").asText()).isEqualTo(id);
        assertThat(release.json().path("description").asText()).isEqualTo("Deploy 60883d9e");
        // its Procfile has a release phase: the release waits for it before it goes live (ReleasePhaseApiTest)
        assertThat(release.json().path("status").asText()).isEqualTo("pending");
        assertThat(release.json().path("current").asBoolean()).isFalse();

        JsonNode info = call("GET", "/apps/" + app + "/slugs/" + id).as(alice).send().expect(200).matches("slug").json();
        assertThat(info.path("blob").path("method").asText()).isEqualTo("GET");
        assertThat(info.path("size").asLong()).isEqualTo(tarball.length);
        assertThat(info.path("commit_description").asText()).isEqualTo("fixed a bug");
        assertThat(download(info.path("blob").path("url").asText()).body()).isEqualTo(tarball);
        assertThat(app(alice, app).path("slug_size").asLong()).isEqualTo(tarball.length);

        // the formation follows the slug only once the release phase passed; until then it shows only the phase
        assertThat(types(alice, app)).containsExactly("release");

        // the same slug again, with the description a client chose
        Response again = call("POST", "/apps/" + app + "/releases").as(alice)
                .json("{\"slug\":{\"id\":\"" + id + "\"},\"description\":\"Redeploy\"}").send().expect(201);
        assertThat(again.json().path("description").asText()).isEqualTo("Redeploy");
        assertThat(again.json().path("version").asInt()).isEqualTo(3);
    }

    @Test
    void aRollbackBringsBackTheOldSlugsProcessTypes() {
        User alice = newUser();
        String app = createApp(alice, "roll");
        String one = uploadedSlug(alice, app, "{\"web\":\"node one.js\"}");
        String two = uploadedSlug(alice, app, "{\"web\":\"node two.js\",\"clock\":\"node clock.js\"}");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":\"" + one + "\"}").send().expect(201);
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":\"" + two + "\"}").send().expect(201);
        assertThat(types(alice, app)).containsExactly("clock", "web");

        Response back = call("POST", "/apps/" + app + "/releases").as(alice).json("{\"release\":\"2\"}").send().expect(201);
        assertThat(back.json().path("slug").path("id").asText()).isEqualTo(one);
        assertThat(types(alice, app)).containsExactly("web");
        JsonNode web = call("GET", "/apps/" + app + "/formation/web").as(alice).send().expect(200).json();
        assertThat(web.path("command").asText()).isEqualTo("node one.js");
    }

    @Test
    void refusesBadSlugs() {
        User alice = newUser();
        String app = createApp(alice, "badslug");
        for (String body : List.of("{}", "{\"process_types\":null}", "{\"process_types\":\"web: x\"}",
                "{\"process_types\":{\"web\":5}}", "{\"process_types\":{\"web server\":\"x\"}}",
                "{\"process_types\":{\"web\":\"  \"}}", "{\"process_types\":{},\"checksum\":\"md5:1\"}",
                "{\"process_types\":{},\"stack\":\"cedar-14\"}", "{\"process_types\":{},\"commit\":7}",
                "{\"process_types\":{},\"commit\":\"" + "a".repeat(300) + "\"}")) {
            call("POST", "/apps/" + app + "/slugs").as(alice).json(body).send().expectError(422, "invalid_params");
        }
        call("POST", "/apps/" + app + "/slugs").as(alice).json("{\"process_types\":").send().expectError(400, "bad_request");
        // a stack by name object or by id is fine
        call("POST", "/apps/" + app + "/slugs").as(alice).json("{\"process_types\":{},\"stack\":{\"name\":\"heroku-22\"}}")
                .send().expect(201);
        Response byId = call("POST", "/apps/" + app + "/slugs").as(alice)
                .json("{\"process_types\":{},\"stack\":\"" + Stacks.id("heroku-22") + "\"}").send().expect(201);
        assertThat(byId.json().path("stack").path("name").asText()).isEqualTo("heroku-22");

        call("GET", "/apps/" + app + "/slugs/" + UUID.randomUUID()).as(alice).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/slugs/not-a-uuid").as(alice).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(alice).json("{\"slug\":\"" + UUID.randomUUID() + "\"}").send()
                .expectError(404, "not_found");
    }

    @Test
    void anotherUsersAppIsNotFoundOnEverySlugEndpoint() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice, "secret");
        String slug = uploadedSlug(alice, app, "{\"web\":\"x\"}");
        String theirs = createApp(mallory, "theirs");

        call("POST", "/apps/" + app + "/slugs").as(mallory).json("{\"process_types\":{}}").send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/slugs/" + slug).as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + app + "/releases").as(mallory).json("{\"slug\":\"" + slug + "\"}").send()
                .expectError(404, "not_found");
        // nor can a slug of alice's app be released into mallory's own app
        call("GET", "/apps/" + theirs + "/slugs/" + slug).as(mallory).send().expectError(404, "not_found");
        call("POST", "/apps/" + theirs + "/releases").as(mallory).json("{\"slug\":\"" + slug + "\"}").send()
                .expectError(404, "not_found");
        call("GET", "/apps/" + app + "/slugs/" + slug).send().expectError(401, "unauthorized");
        assertThat(call("GET", "/apps/" + app + "/releases").as(alice).send().json()).hasSize(1);
        assertThat(call("GET", "/apps/" + theirs + "/releases").as(mallory).send().json()).hasSize(1);
    }

    private String uploadedSlug(User user, String app, String processTypes) {
        JsonNode slug = call("POST", "/apps/" + app + "/slugs").as(user).json("{\"process_types\":" + processTypes + "}")
                .send().expect(201).json();
        assertThat(upload(slug.path("blob").path("url").asText(), new byte[] {1, 2, 3})).isEqualTo(200);
        return slug.path("id").asText();
    }

    private List<String> types(User user, String app) {
        JsonNode formation = call("GET", "/apps/" + app + "/formation").as(user).send().expect(200).json();
        List<String> out = new java.util.ArrayList<>();
        formation.forEach(f -> out.add(f.path("type").asText()));
        return out;
    }
}
