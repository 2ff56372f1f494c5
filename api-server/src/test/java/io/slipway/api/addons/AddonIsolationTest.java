package io.slipway.api.addons;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;

/**
 * Attacks by another tenant on someone's add-on: every way to name it (name, id, attachment, {@code app::NAME})
 * answers exactly like a missing add-on, and nothing changes: no attachment to the attacker's app (which would
 * hand them the database URL), no destroy, no detach, no rename.
 */
@Import(FakeAddonProviders.class)
class AddonIsolationTest extends ApiTest {
    @Autowired
    @Qualifier("fakePostgres")
    FakeAddonProviders.Fake postgres;

    @Test
    void anotherUserCannotSeeAttachDetachRenameOrDestroyAnAddon() {
        User alice = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        String malloryApp = createApp(mallory);
        JsonNode addon = call("POST", "/apps/" + app + "/addons").as(alice).json("{\"plan\":\"heroku-postgresql\"}")
                .send().expect(201).json();
        String name = addon.path("name").asText();
        String id = addon.path("id").asText();
        String attachmentId = call("GET", "/apps/" + app + "/addon-attachments/DATABASE").as(alice).send().expect(200)
                .json().path("id").asText();

        for (String who : new String[] {name, id, app + "::DATABASE"}) {
            call("GET", "/addons/" + who).as(mallory).send().expectError(404, "not_found");
            call("GET", "/addons/" + who + "/addon-attachments").as(mallory).send().expectError(404, "not_found");
            // sharing it to an app Mallory owns would hand her DATABASE_URL
            call("POST", "/addon-attachments").as(mallory)
                    .json("{\"addon\":\"" + who + "\",\"app\":\"" + malloryApp + "\"}").send().expectError(404, "not_found");
            call("DELETE", "/addons/" + who).as(mallory).send().expectError(404, "not_found");
            call("DELETE", "/apps/" + malloryApp + "/addons/" + who).as(mallory).send().expectError(404, "not_found");
            call("PATCH", "/apps/" + malloryApp + "/addons/" + who).as(mallory).json("{\"name\":\"stolen-" + app + "\"}")
                    .send().expectError(404, "not_found");
            Response resolved = call("POST", "/actions/addons/resolve").as(mallory)
                    .json("{\"addon\":\"" + who + "\",\"app\":null}").send().expectError(404, "not_found");
            assertThat(resolved.json().path("resource").asText()).isEqualTo("add_on");
        }
        call("GET", "/addon-attachments/" + attachmentId).as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/addon-attachments/" + attachmentId).as(mallory).send().expectError(404, "not_found");
        call("POST", "/actions/addon-attachments/resolve").as(mallory)
                .json("{\"addon_attachment\":\"" + app + "::DATABASE\",\"app\":null}").send().expectError(404, "not_found");
        call("POST", "/actions/addons/resolve").as(mallory)
                .json("{\"addon\":\"DATABASE\",\"app\":\"" + app + "\"}").send().expectError(404, "not_found");

        // nothing listed for her, and nothing changed for Alice
        assertThat(call("GET", "/addons").as(mallory).send().expect(200).json()).isEmpty();
        assertThat(call("GET", "/addon-attachments").as(mallory).send().expect(200).json()).isEmpty();
        assertThat(call("GET", "/apps/" + malloryApp + "/config-vars").as(mallory).send().json().has("DATABASE_URL")).isFalse();
        assertThat(call("GET", "/addons/" + id).as(alice).send().expect(200).json().path("name").asText()).isEqualTo(name);
        assertThat(postgres.live).containsValue(name);
        assertThat(call("GET", "/apps/" + app + "/addon-attachments").as(alice).send().json()).hasSize(2);
    }

    @Test
    void aCollaboratorOnAnAttachedAppCannotShareOrDestroyTheAddon() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        String shared = createApp(alice);
        String bobsApp = createApp(bob);
        String name = call("POST", "/apps/" + app + "/addons").as(alice).json("{\"plan\":\"heroku-postgresql\"}")
                .send().expect(201).json().path("name").asText();
        call("POST", "/addon-attachments").as(alice).json("{\"addon\":\"" + name + "\",\"app\":\"" + shared + "\"}")
                .send().expect(201);
        call("POST", "/apps/" + shared + "/collaborators").as(alice).json("{\"user\":\"" + bob.email() + "\"}")
                .send().expect(201);

        // Bob sees it through the app he collaborates on, but it is not billed to an app he can use
        call("GET", "/addons/" + name).as(bob).send().expect(200);
        // the lists without an app: the add-on for both; Alice every attachment of her add-on, Bob only the one
        // on the app he can see (not those on the billing app, which he cannot)
        assertThat(names(call("GET", "/addons").as(bob).send().expect(200).json())).containsExactly(name);
        assertThat(names(call("GET", "/addons").as(alice).send().expect(200).json())).contains(name);
        JsonNode bobsAttachments = call("GET", "/addon-attachments").as(bob).send().expect(200).json();
        assertThat(bobsAttachments).hasSize(1);
        assertThat(bobsAttachments.get(0).path("app").path("name").asText()).isEqualTo(shared);
        // Alice's: DATABASE and HEROKU_POSTGRESQL_<COLOR> on the billing app, DATABASE on the shared one
        assertThat(call("GET", "/addon-attachments").as(alice).send().expect(200).json()).hasSize(3);
        call("POST", "/addon-attachments").as(bob).json("{\"addon\":\"" + name + "\",\"app\":\"" + bobsApp + "\"}")
                .send().expectError(404, "not_found");
        call("DELETE", "/addons/" + name).as(bob).send().expectError(404, "not_found");
        assertThat(postgres.live).containsValue(name);
    }

    @Test
    void resolversMatchAsHerokusDo() {
        User alice = newUser();
        String app = createApp(alice);
        String name = call("POST", "/apps/" + app + "/addons").as(alice).json("{\"plan\":\"heroku-postgresql\"}")
                .send().expect(201).json().path("name").asText();

        // addons:info NAME -a app, by attachment name, by app::NAME, by name without app
        for (String body : new String[] {
                "{\"addon\":\"" + name + "\",\"app\":\"" + app + "\"}",
                "{\"addon\":\"DATABASE\",\"app\":\"" + app + "\"}",
                "{\"addon\":\"" + app + "::DATABASE\",\"app\":null}",
                "{\"addon\":\"" + name + "\",\"app\":null,\"addon_service\":\"heroku-postgresql\"}"}) {
            Response r = call("POST", "/actions/addons/resolve").as(alice)
                    .header("Accept", "application/vnd.heroku+json; version=3.sdk")
                    .header("Accept-Expansion", "addon_service,plan").json(body).send().expect(200).matches("add-on");
            assertThat(r.json()).as(body).hasSize(1);
            assertThat(r.json().get(0).path("name").asText()).isEqualTo(name);
        }
        call("POST", "/actions/addons/resolve").as(alice)
                .json("{\"addon\":\"" + name + "\",\"app\":null,\"addon_service\":\"heroku-redis\"}").send()
                .expectError(404, "not_found");

        // what pg:* send: DATABASE_URL by default, or an attachment name
        for (String id : new String[] {"DATABASE_URL", "DATABASE", app + "::DATABASE"}) {
            Response r = call("POST", "/actions/addon-attachments/resolve").as(alice)
                    .header("Accept-Inclusion", "addon:plan,config_vars")
                    .json("{\"addon_attachment\":\"" + id + "\",\"app\":\"" + app + "\"}").send().expect(200);
            assertThat(r.json()).as(id).hasSize(1);
            assertThat(r.json().get(0).path("name").asText()).isEqualTo("DATABASE");
            assertThat(r.json().get(0).path("addon").path("plan").path("name").asText()).startsWith("heroku-postgresql:");
            assertThat(r.json().get(0).path("config_vars").get(0).asText()).isEqualTo("DATABASE_URL");
        }
        // without Accept-Inclusion the shape is exactly Heroku's schema (which has no addon.plan)
        call("POST", "/actions/addon-attachments/resolve").as(alice)
                .json("{\"addon_attachment\":\"DATABASE\",\"app\":\"" + app + "\"}").send().expect(200)
                .matches("add-on-attachment");
        // an add-on's name: its attachments on the app (the colour alias too)
        Response byAddon = call("POST", "/actions/addon-attachments/resolve").as(alice)
                .json("{\"addon_attachment\":\"" + name + "\",\"app\":\"" + app + "\"}").send().expect(200);
        assertThat(byAddon.json()).hasSize(2);
        Response none = call("POST", "/actions/addon-attachments/resolve").as(alice)
                .json("{\"addon_attachment\":\"NOPE\",\"app\":\"" + app + "\"}").send().expectError(404, "not_found");
        assertThat(none.json().path("resource").asText()).isEqualTo("add_on attachment");
    }

    /** Each add-on is a real database on the operator's server: one account cannot make them without end. */
    @Test
    void oneAccountCannotHoldMoreAddonsThanTheQuota() {
        User mallory = newUser();
        String app = createApp(mallory);
        String second = createApp(mallory);
        int made = 0;
        for (int i = 0; i < 20; i++) {
            String target = i % 2 == 0 ? app : second;
            call("POST", "/apps/" + target + "/addons").as(mallory).json("{\"plan\":\"heroku-redis\"}").send().expect(201);
            made++;
        }
        int live = postgres.live.size();
        Response refused = call("POST", "/apps/" + app + "/addons").as(mallory).json("{\"plan\":\"heroku-postgresql\"}")
                .send().expectError(422, "invalid_params");
        assertThat(refused.json().path("message").asText()).contains("20 add-ons");
        assertThat(postgres.live).hasSize(live);
        assertThat(call("GET", "/addons").as(mallory).send().json()).hasSize(made);

        // destroying one frees a slot
        String one = call("GET", "/apps/" + app + "/addons").as(mallory).send().json().get(0).path("name").asText();
        call("DELETE", "/addons/" + one).as(mallory).send().expect(200);
        call("POST", "/apps/" + app + "/addons").as(mallory).json("{\"plan\":\"heroku-redis\"}").send().expect(201);
    }

    String createApp(User user) {
        String name = uniqueAppName("addiso");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private static java.util.List<String> names(JsonNode list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        list.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }
}
