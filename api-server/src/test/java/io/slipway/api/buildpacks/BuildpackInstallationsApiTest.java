package io.slipway.api.buildpacks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildpackInstallationsApiTest extends ApiTest {

    private String newApp(User owner) {
        String name = uniqueAppName("bp");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    /** As the CLI sends it: with an empty Range header. */
    private Response put(User user, String app, String... buildpacks) {
        StringBuilder body = new StringBuilder("{\"updates\":[");
        for (int i = 0; i < buildpacks.length; i++) {
            if (i > 0) body.append(',');
            body.append("{\"buildpack\":\"").append(buildpacks[i]).append("\"}");
        }
        body.append("]}");
        return call("PUT", "/apps/" + app + "/buildpack-installations").as(user).header("Range", "")
                .json(body.toString()).send();
    }

    private static List<String> field(JsonNode list, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list) out.add(n.path("buildpack").path(name).asText());
        return out;
    }

    @Test
    void replacesAndListsBuildpacksInOrder() {
        User alice = newUser();
        String app = newApp(alice);
        assertThat(call("GET", "/apps/" + app + "/buildpack-installations").as(alice).send().expect(200).json().size())
                .isZero();

        Response set = put(alice, app, "heroku/nodejs", "https://github.com/example/buildpack.git#v2", "heroku/procfile")
                .expect(200).matches("buildpack-installation");
        assertThat(field(set.json(), "url")).containsExactly("urn:buildpack:heroku/nodejs",
                "https://github.com/example/buildpack.git#v2", "urn:buildpack:heroku/procfile");
        assertThat(field(set.json(), "name")).containsExactly("heroku/nodejs",
                "https://github.com/example/buildpack.git#v2", "heroku/procfile");
        assertThat(set.json().findValuesAsText("ordinal")).containsExactly("0", "1", "2");

        Response list = call("GET", "/apps/" + app + "/buildpack-installations").as(alice).send().expect(200)
                .matches("buildpack-installation");
        assertThat(list.body()).isEqualTo(set.body());

        // the CLI sends back what it listed, with urn:buildpack: stripped; and a new list replaces the old one
        Response replaced = put(alice, app, "heroku/java", "urn:buildpack:heroku/python", "static").expect(200);
        assertThat(field(replaced.json(), "name")).containsExactly("heroku/java", "heroku/python", "heroku/static");
        Response cleared = put(alice, app).expect(200);
        assertThat(cleared.json().size()).isZero();
        assertThat(call("GET", "/apps/" + app + "/buildpack-installations").as(alice).send().json().size()).isZero();
    }

    /** {@code buildpacks:add heroku/nodejs} resolves the name to Heroku's registry tarball on the client. */
    @Test
    void herokusTarballUrlsOfShippedBuildpacksAreTheBuiltInOnes() {
        User alice = newUser();
        String app = newApp(alice);
        Response r = put(alice, app, "https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/nodejs.tgz",
                "https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/ruby.tgz").expect(200);
        assertThat(field(r.json(), "url")).containsExactly("urn:buildpack:heroku/nodejs",
                "https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/ruby.tgz");
    }

    @Test
    void refusesWhatTheBuildWorkerCouldNotRun() {
        User alice = newUser();
        String app = newApp(alice);
        put(alice, app, "heroku/nodejs").expect(200);
        for (String[] bad : new String[][] {{"heroku/ruby"}, {"heroku-community/apt"}, {"http://example.com/bp.tgz"},
                {"ftp://example.com/bp.tgz"}, {"https://"}, {"https://exa mple.com/bp"}, {""},
                {"heroku/nodejs", "urn:buildpack:heroku/nodejs"}}) {
            put(alice, app, bad).expectError(422, "invalid_params");
        }
        String url = "/apps/" + app + "/buildpack-installations";
        for (String body : new String[] {"{}", "{\"updates\":\"heroku/nodejs\"}", "{\"updates\":[\"heroku/nodejs\"]}",
                "{\"updates\":[{\"buildpack\":1}]}", "{\"updates\":[{\"buildpack\":\"heroku/java\",\"x\":1}]}",
                "{\"updates\":[{}]}"}) {
            call("PUT", url).as(alice).json(body).send().expectError(422, "invalid_params");
        }
        String[] thirteen = new String[13];
        for (int i = 0; i < thirteen.length; i++) thirteen[i] = "https://example.com/bp" + i + ".tgz";
        put(alice, app, thirteen).expectError(422, "invalid_params");
        call("PUT", url).as(alice).json("{\"updates\":").send().expectError(400, "bad_request");
        // nothing of the refused requests was kept
        Response list = call("GET", url).as(alice).send().expect(200);
        assertThat(field(list.json(), "name")).containsExactly("heroku/nodejs");
    }

    @Test
    void otherUsersAppsAreNotFound() {
        User alice = newUser();
        User bob = newUser();
        String app = newApp(alice);
        put(alice, app, "heroku/python").expect(200);
        put(bob, app, "heroku/java").expectError(404, "not_found");
        call("GET", "/apps/" + app + "/buildpack-installations").as(bob).send().expectError(404, "not_found");
        Response list = call("GET", "/apps/" + app + "/buildpack-installations").as(alice).send().expect(200);
        assertThat(field(list.json(), "name")).containsExactly("heroku/python");
    }
}
