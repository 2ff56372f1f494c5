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

    /**
     * More apps than a page: every page holds only what the caller owns or collaborates on, in the range's order,
     * and following Next-Range (ascending and descending) visits each of them exactly once.
     */
    @Test
    void pagesThroughMoreAppsThanAPageOwnedAndShared() {
        User alice = newUser();
        User bob = newUser();
        User carol = newUser();
        java.util.Map<String, String> visible = new java.util.TreeMap<>(); // id -> name
        for (int i = 0; i < 9; i++) {
            Response r = call("POST", "/apps").as(alice).json("{\"name\":\"" + uniqueAppName("apg") + "\"}").send().expect(201);
            visible.put(r.json().path("id").asText(), r.json().path("name").asText());
        }
        for (int i = 0; i < 3; i++) {
            Response r = call("POST", "/apps").as(bob).json("{\"name\":\"" + uniqueAppName("bpg") + "\"}").send().expect(201);
            String name = r.json().path("name").asText();
            call("POST", "/apps/" + name + "/collaborators").as(bob).json("{\"user\":\"" + alice.email() + "\"}").send().expect(201);
            visible.put(r.json().path("id").asText(), name);
        }
        String hidden = call("POST", "/apps").as(carol).json("{\"name\":\"" + uniqueAppName("cpg") + "\"}").send()
                .expect(201).json().path("name").asText();
        call("POST", "/apps").as(bob).json("{\"name\":\"" + uniqueAppName("bpx") + "\"}").send().expect(201); // not shared

        assertThat(walk(alice, "id ..; max=5")).containsExactlyElementsOf(visible.values());
        assertThat(walk(alice, "id ..; max=5, order=desc"))
                .containsExactlyElementsOf(new java.util.ArrayList<>(((java.util.TreeMap<String, String>) visible).descendingMap().values()));
        assertThat(walk(alice, "name ..; max=4")).containsExactlyElementsOf(visible.values().stream().sorted().toList());
        // no Range: Heroku's first page (200 at most), the whole list here, with the shared apps' owner shown
        Response all = call("GET", "/apps").as(alice).send().expect(200).matches("app");
        assertThat(names(all)).containsExactlyElementsOf(visible.values()).doesNotContain(hidden);
        all.json().forEach(app -> assertThat(app.path("owner").path("email").asText())
                .isEqualTo(app.path("name").asText().startsWith("apg") ? alice.email() : bob.email()));
        // a bound inside the list, exclusive as the CLI sends it back
        String third = new java.util.ArrayList<>(visible.keySet()).get(2);
        Response rest = call("GET", "/apps").as(alice).header("Range", "id ]" + third + "..; max=200").send().expect(200);
        assertThat(names(rest)).containsExactlyElementsOf(new java.util.ArrayList<>(visible.values()).subList(3, visible.size()));
    }

    private java.util.List<String> walk(User user, String firstRange) {
        java.util.List<String> seen = new java.util.ArrayList<>();
        String range = firstRange;
        for (int requests = 0; range != null; requests++) {
            assertThat(requests).as("pages").isLessThan(10);
            Response page = call("GET", "/apps").as(user).header("Range", range).send();
            assertThat(page.status()).isIn(200, 206);
            seen.addAll(names(page));
            range = page.header("Next-Range");
            assertThat(range == null).as("Next-Range only on partial pages").isEqualTo(page.status() == 200);
        }
        return seen;
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
