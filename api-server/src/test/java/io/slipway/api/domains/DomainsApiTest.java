package io.slipway.api.domains;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.events.InternalEvents;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.web.ComponentRole;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DomainsApiTest extends ApiTest {
    private final InternalEvents events = new InternalEvents(
            path -> asComponent(ComponentRole.ROUTER, "GET", path).send());

    private String createApp(User user) {
        String name = uniqueAppName("dom");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private Response add(User user, String app, String hostname) {
        return call("POST", "/apps/" + app + "/domains").as(user)
                .json("{\"hostname\":\"" + hostname + "\",\"sni_endpoint\":null}").send();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
    }

    @Test
    void listsTheDefaultDomainTheWayTheCliAsks() {
        User alice = newUser();
        String app = createApp(alice);
        Response list = DomainSchema.matches(call("GET", "/apps/" + app + "/domains").as(alice).header("Range", "id ..; max=1000;").send()
                .expect(200));
        assertThat(list.json()).hasSize(1);
        JsonNode d = list.json().get(0);
        assertThat(d.path("hostname").asText()).isEqualTo(app + ".localhost");
        assertThat(d.path("kind").asText()).isEqualTo("heroku");
        assertThat(d.path("app").path("name").asText()).isEqualTo(app);
        assertThat(d.path("status").asText()).isEqualTo("none");
        assertThat(d.has("acm_status")).isTrue();
        assertThat(d.path("sni_endpoint").isNull()).isTrue();
        assertThat(list.header("Next-Range")).isNull();
    }

    @Test
    void addsACustomDomainWithItsDnsTarget() {
        User alice = newUser();
        String app = createApp(alice);
        long before = events.lastSeq();
        String host = unique("www");
        Response created = DomainSchema.matches(add(alice, app, host.toUpperCase() + ".").expect(201));
        JsonNode d = created.json();
        assertThat(d.path("hostname").asText()).isEqualTo(host);
        assertThat(d.path("kind").asText()).isEqualTo("custom");
        assertThat(d.path("cname").asText()).isEqualTo(app + ".localhost");
        assertThat(d.path("status").asText()).isEqualTo("none");
        assertThat(d.path("app").path("name").asText()).isEqualTo(app);
        String id = d.path("id").asText();

        DomainSchema.matches(call("GET", "/apps/" + app + "/domains/" + id).as(alice).send().expect(200));
        Response byName = DomainSchema.matches(call("GET", "/apps/" + app + "/domains/" + host.toUpperCase()).as(alice).send()
                .expect(200));
        assertThat(byName.json().path("id").asText()).isEqualTo(id);
        Response list = DomainSchema.matches(call("GET", "/apps/" + app + "/domains").as(alice).send().expect(200));
        assertThat(list.json().findValuesAsText("hostname")).containsExactlyInAnyOrder(app + ".localhost", host);

        List<JsonNode> appEvents = events.forApp(before, UUID.fromString(d.path("app").path("id").asText()));
        assertThat(appEvents).hasSize(1);
        assertThat(appEvents.get(0).path("type").asText()).isEqualTo("domain.added");
        assertThat(appEvents.get(0).path("payload").path("hostname").asText()).isEqualTo(host);
        assertThat(appEvents.get(0).path("payload").path("kind").asText()).isEqualTo("custom");
    }

    @Test
    void pagesByHostname() {
        User alice = newUser();
        String app = createApp(alice);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (String sub : List.of("a", "b", "c")) add(alice, app, sub + "-" + tag + ".example.org").expect(201);
        Response first = DomainSchema.matches(call("GET", "/apps/" + app + "/domains").as(alice).header("Range", "hostname ..; max=2").send()
                .expect(206));
        assertThat(first.json().findValuesAsText("hostname")).containsExactly("a-" + tag + ".example.org", "b-" + tag + ".example.org");
        Response rest = call("GET", "/apps/" + app + "/domains").as(alice).header("Range", first.header("Next-Range")).send()
                .expect(200);
        assertThat(rest.json().findValuesAsText("hostname")).containsExactly("c-" + tag + ".example.org", app + ".localhost");
    }

    @Test
    void acceptsWildcardsAndPunycode() {
        User alice = newUser();
        String app = createApp(alice);
        String wild = "*." + unique("wild");
        assertThat(DomainSchema.matches(add(alice, app, wild).expect(201)).json().path("hostname").asText()).isEqualTo(wild);
        call("GET", "/apps/" + app + "/domains/" + wild).as(alice).send().expect(200);
        add(alice, app, "xn--bcher-kva-" + UUID.randomUUID().toString().substring(0, 8) + ".example").expect(201);
        add(alice, app, "www." + UUID.randomUUID().toString().substring(0, 8) + ".example.test").expect(201);
    }

    @Test
    void refusesInvalidHostnames() {
        User alice = newUser();
        String app = createApp(alice);
        String label63 = "a".repeat(63);
        for (String bad : List.of("", "example", "www..example.com", ".example.com", "-a.example.com",
                "a-.example.com", "www.exa_mple.com", "www.example.com/path", "http://www.example.com",
                "www.*.example.com", "*.com", "**.example.com", "1.2.3.4", "[::1]", "::1", "bücher.example",
                "a b.example.com", label63 + "a.example.com",
                String.join(".", label63, label63, label63, label63) + ".com")) {
            add(alice, app, bad).expectError(422, "invalid_params");
        }
        // under the platform's own apps domain
        add(alice, app, "other.localhost").expectError(422, "invalid_params");
        add(alice, app, "*.localhost").expectError(422, "invalid_params");
        add(alice, app, "localhost").expectError(422, "invalid_params");
        // malformed bodies
        call("POST", "/apps/" + app + "/domains").as(alice).json("{}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/domains").as(alice).json("{\"hostname\":42}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/domains").as(alice).json("{\"hostname\":").send().expectError(400, "bad_request");
        call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"" + unique("sni") + "\",\"sni_endpoint\":\"my-cert\"}").send()
                .expectError(404, "not_found");
        assertThat(call("GET", "/apps/" + app + "/domains").as(alice).send().json()).hasSize(1);
    }

    @Test
    void aHostnameBelongsToOneAppOnly() {
        User alice = newUser();
        User bob = newUser();
        String a = createApp(alice);
        String b = createApp(bob);
        String host = unique("taken");
        add(alice, a, host).expect(201);
        Response again = add(alice, a, host).expectError(422, "invalid_params");
        assertThat(again.json().path("message").asText()).contains("already added to this app");
        Response other = add(bob, b, host.toUpperCase()).expectError(422, "invalid_params");
        assertThat(other.json().path("message").asText()).contains("in use by another app");
        add(bob, b, b + ".localhost").expectError(422, "invalid_params");
        add(bob, b, a + ".localhost").expectError(422, "invalid_params");
    }

    @Test
    void removesCustomDomainsButNotTheDefaultOne() {
        User alice = newUser();
        String app = createApp(alice);
        String host = unique("gone");
        String id = add(alice, app, host).expect(201).json().path("id").asText();
        String appId = call("GET", "/apps/" + app).as(alice).send().json().path("id").asText();
        long before = events.lastSeq();

        Response removed = DomainSchema.matches(call("DELETE", "/apps/" + app + "/domains/" + host).as(alice).send().expect(200));
        assertThat(removed.json().path("id").asText()).isEqualTo(id);
        call("GET", "/apps/" + app + "/domains/" + id).as(alice).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/domains/" + host).as(alice).send().expectError(404, "not_found");
        List<JsonNode> appEvents = events.forApp(before, UUID.fromString(appId));
        assertThat(appEvents).hasSize(1);
        assertThat(appEvents.get(0).path("type").asText()).isEqualTo("domain.removed");
        assertThat(appEvents.get(0).path("payload").path("hostname").asText()).isEqualTo(host);

        call("DELETE", "/apps/" + app + "/domains/" + app + ".localhost").as(alice).send().expectError(422, "invalid_params");
        // the freed hostname can be used again, by another app
        User bob = newUser();
        add(bob, createApp(bob), host).expect(201);
    }

    @Test
    void aRenameMovesTheDefaultDomainAndTheDnsTarget() {
        User alice = newUser();
        String app = createApp(alice);
        String host = unique("ren");
        add(alice, app, host).expect(201);
        String renamed = uniqueAppName("domren");
        call("PATCH", "/apps/" + app).as(alice).json("{\"name\":\"" + renamed + "\"}").send().expect(200);
        Response list = DomainSchema.matches(call("GET", "/apps/" + renamed + "/domains").as(alice).send().expect(200));
        assertThat(list.json().findValuesAsText("hostname")).containsExactlyInAnyOrder(renamed + ".localhost", host);
        for (JsonNode d : list.json()) {
            if (d.path("kind").asText().equals("custom")) assertThat(d.path("cname").asText()).isEqualTo(renamed + ".localhost");
            assertThat(d.path("app").path("name").asText()).isEqualTo(renamed);
        }
    }

    @Test
    void otherUsersAppsAndDomainsAreNotFound() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        String host = unique("priv");
        String id = add(alice, app, host).expect(201).json().path("id").asText();
        String mine = createApp(mallory);

        call("GET", "/apps/" + app + "/domains").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/domains/" + id).as(mallory).send().expectError(404, "not_found");
        add(mallory, app, unique("x")).expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/domains/" + host).as(mallory).send().expectError(404, "not_found");
        // a domain of another app is not reachable through one's own app either
        call("GET", "/apps/" + mine + "/domains/" + id).as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + mine + "/domains/" + host).as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/domains").send().expectError(401, "unauthorized");
        assertThat(call("GET", "/apps/" + app + "/domains").as(alice).send().json()).hasSize(2);
    }

    @Test
    void sniEndpointsListIsEmptySoDomainsAddProceeds() {
        User alice = newUser();
        String app = createApp(alice);
        Response r = call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200);
        assertThat(r.json().isArray()).isTrue();
        assertThat(r.json()).isEmpty();
        call("GET", "/apps/" + app + "/sni-endpoints").as(newUser()).send().expectError(404, "not_found");
    }
}
