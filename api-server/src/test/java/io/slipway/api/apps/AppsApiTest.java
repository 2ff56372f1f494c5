package io.slipway.api.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import org.junit.jupiter.api.Test;

class AppsApiTest extends ApiTest {

    @Test
    void createsAppWithNameAndShowsIt() {
        User alice = newUser();
        String name = uniqueAppName("demo");
        Response created = call("POST", "/apps").as(alice).json("{\"name\":\"" + name + "\"}").send()
                .expect(201).matches("app");
        assertThat(created.json().path("name").asText()).isEqualTo(name);
        assertThat(created.json().path("owner").path("email").asText()).isEqualTo(alice.email());
        assertThat(created.json().path("git_url").asText()).isEqualTo("https://127.0.0.1:5443/" + name + ".git");
        assertThat(created.json().path("web_url").asText()).isEqualTo("http://" + name + ".localhost:8080/");
        assertThat(created.json().path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

        call("GET", "/apps/" + name).as(alice).send().expect(200).matches("app");
        call("GET", "/apps/" + created.json().path("id").asText()).as(alice).send().expect(200);
    }

    @Test
    void generatesANameWhenNoneIsGiven() {
        User alice = newUser();
        Response created = call("POST", "/apps").as(alice).send().expect(201).matches("app");
        assertThat(created.json().path("name").asText()).matches(AppNames.VALID.pattern());
    }

    @Test
    void listsOwnAppsOnly() {
        User alice = newUser();
        User bob = newUser();
        String a = uniqueAppName("alist");
        String b = uniqueAppName("blist");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + a + "\"}").send().expect(201);
        call("POST", "/apps").as(bob).json("{\"name\":\"" + b + "\"}").send().expect(201);

        Response list = call("GET", "/users/~/apps").as(alice).send().expect(200).matches("app");
        assertThat(names(list)).contains(a).doesNotContain(b);
        Response all = call("GET", "/apps").as(bob).send().expect(200);
        assertThat(names(all)).contains(b).doesNotContain(a);
    }

    @Test
    void renamesAndTogglesMaintenance() {
        User alice = newUser();
        String name = uniqueAppName("ren");
        String renamed = uniqueAppName("renamed");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + name + "\"}").send().expect(201);
        Response r = call("PATCH", "/apps/" + name).as(alice).json("{\"name\":\"" + renamed + "\"}").send()
                .expect(200).matches("app");
        assertThat(r.json().path("web_url").asText()).contains(renamed);
        call("GET", "/apps/" + name).as(alice).send().expectError(404, "not_found");

        Response m = call("PATCH", "/apps/" + renamed).as(alice).json("{\"maintenance\":true}").send().expect(200);
        assertThat(m.json().path("maintenance").asBoolean()).isTrue();
        assertThat(call("GET", "/apps/" + renamed).as(alice).send().json().path("maintenance").asBoolean()).isTrue();
    }

    @Test
    void destroysApp() {
        User alice = newUser();
        String name = uniqueAppName("gone");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + name + "\"}").send().expect(201);
        call("DELETE", "/apps/" + name).as(alice).send().expect(200).matches("app");
        call("GET", "/apps/" + name).as(alice).send().expectError(404, "not_found");
    }

    @Test
    void refusesInvalidNamesAndBodies() {
        User alice = newUser();
        call("POST", "/apps").as(alice).json("{\"name\":\"Bad_Name\"}").send().expectError(422, "invalid_params");
        call("POST", "/apps").as(alice).json("{\"name\":\"ab\"}").send().expectError(422, "invalid_params");
        call("POST", "/apps").as(alice).json("{\"name\":42}").send().expectError(422, "invalid_params");
        call("POST", "/apps").as(alice).json("{\"name\": ").send().expectError(400, "bad_request");
        call("POST", "/apps").as(alice).json("[1,2]").send().expectError(422, "invalid_params");
        call("POST", "/apps").as(alice).json("{\"region\":\"eu\"}").send().expectError(422, "invalid_params");
        String name = uniqueAppName("taken");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + name + "\"}").send().expect(201);
        call("POST", "/apps").as(newUser()).json("{\"name\":\"" + name + "\"}").send().expectError(422, "invalid_params");
    }

    @Test
    void requiresAuthentication() {
        call("GET", "/apps").send().expectError(401, "unauthorized");
        call("GET", "/apps").header("Authorization", "Bearer nope").send().expectError(401, "unauthorized");
        call("GET", "/apps").header("Authorization", "Basic !!!").send().expectError(401, "unauthorized");
    }

    private static java.util.List<String> names(Response list) {
        java.util.List<String> names = new java.util.ArrayList<>();
        list.json().forEach(app -> names.add(app.path("name").asText()));
        return names;
    }
}
