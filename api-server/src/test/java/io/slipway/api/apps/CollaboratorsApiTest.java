package io.slipway.api.apps;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import org.junit.jupiter.api.Test;

class CollaboratorsApiTest extends ApiTest {

    private String createApp(User owner) {
        String name = uniqueAppName("collab");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private Response add(User as, String app, String user) {
        return call("POST", "/apps/" + app + "/collaborators").as(as).json("{\"user\":\"" + user + "\"}").send();
    }

    @Test
    void listsTheOwnerAndTheCollaboratorsWithTheirRoles() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        Response alone = call("GET", "/apps/" + app + "/collaborators").as(alice).send().expect(200).matches("collaborator");
        assertThat(alone.json()).hasSize(1);
        assertThat(alone.json().get(0).path("role").asText()).isEqualTo("owner");
        assertThat(alone.json().get(0).path("user").path("email").asText()).isEqualTo(alice.email());

        Response added = add(alice, app, bob.email()).expect(201).matches("collaborator");
        JsonNode c = added.json();
        assertThat(c.path("role").asText()).isEqualTo("collaborator");
        assertThat(c.path("user").path("email").asText()).isEqualTo(bob.email());
        assertThat(c.path("user").path("id").asText()).isEqualTo(bob.id().toString());
        assertThat(c.path("app").path("name").asText()).isEqualTo(app);
        assertThat(c.has("permissions")).as("no permissions key: the CLI would add an empty column").isFalse();
        String id = c.path("id").asText();

        Response list = call("GET", "/apps/" + app + "/collaborators").as(alice).send().expect(200).matches("collaborator");
        assertThat(list.json().findValuesAsText("role")).containsExactlyInAnyOrder("owner", "collaborator");
        assertThat(list.json().findValuesAsText("email")).containsExactlyInAnyOrder(alice.email(), bob.email());

        for (String identity : new String[] {id, bob.email(), bob.email().toUpperCase(), bob.id().toString()}) {
            Response info = call("GET", "/apps/" + app + "/collaborators/" + identity).as(alice).send()
                    .expect(200).matches("collaborator");
            assertThat(info.json().path("id").asText()).isEqualTo(id);
        }
        Response owner = call("GET", "/apps/" + app + "/collaborators/" + alice.email()).as(bob).send()
                .expect(200).matches("collaborator");
        assertThat(owner.json().path("role").asText()).isEqualTo("owner");
        call("GET", "/apps/" + app + "/collaborators/nobody@example.com").as(alice).send().expectError(404, "not_found");
    }

    @Test
    void addsByIdOrObjectAndRefusesWhatCannotBeAdded() {
        User alice = newUser();
        User bob = newUser();
        User carol = newUser();
        String app = createApp(alice);
        add(alice, app, bob.id().toString()).expect(201);
        call("POST", "/apps/" + app + "/collaborators").as(alice)
                .json("{\"user\":{\"email\":\"" + carol.email() + "\"},\"silent\":true}").send().expect(201).matches("collaborator");

        Response again = add(alice, app, bob.email().toUpperCase()).expectError(422, "invalid_params");
        assertThat(again.json().path("message").asText()).contains("already a collaborator");
        Response self = add(alice, app, alice.email()).expectError(422, "invalid_params");
        assertThat(self.json().path("message").asText()).contains("owns");
        add(alice, app, "~").expectError(422, "invalid_params");
        Response unknown = add(alice, app, "nobody-" + bob.id() + "@example.com").expectError(404, "not_found");
        assertThat(unknown.json().path("resource").asText()).isEqualTo("user");
        add(alice, app, java.util.UUID.randomUUID().toString()).expectError(404, "not_found");

        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":42}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/collaborators").as(alice)
                .json("{\"user\":\"" + newUser().email() + "\",\"silent\":\"no\"}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":").send().expectError(400, "bad_request");
        assertThat(call("GET", "/apps/" + app + "/collaborators").as(alice).send().json()).hasSize(3);
    }

    @Test
    void aCollaboratorUsesTheAppButCannotDestroyIt() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        add(alice, app, bob.email()).expect(201);

        Response apps = call("GET", "/users/~/apps").as(bob).send().expect(200).matches("app");
        assertThat(apps.json().findValuesAsText("name")).contains(app);
        Response info = call("GET", "/apps/" + app).as(bob).send().expect(200).matches("app");
        assertThat(info.json().path("owner").path("email").asText()).isEqualTo(alice.email());
        call("GET", "/apps/" + app + "/domains").as(bob).send().expect(200);
        call("PATCH", "/apps/" + app).as(bob).json("{\"maintenance\":true}").send().expect(200);

        call("DELETE", "/apps/" + app).as(bob).send().expectError(403, "forbidden");
        call("GET", "/apps/" + app).as(alice).send().expect(200);

        // collaborators may add others (as on Heroku) but only remove themselves
        User carol = newUser();
        add(bob, app, carol.email()).expect(201);
        call("DELETE", "/apps/" + app + "/collaborators/" + carol.email()).as(bob).send().expectError(403, "forbidden");
        call("DELETE", "/apps/" + app + "/collaborators/" + alice.email()).as(bob).send().expectError(403, "forbidden");
        Response left = call("DELETE", "/apps/" + app + "/collaborators/" + bob.email()).as(bob).send()
                .expect(200).matches("collaborator");
        assertThat(left.json().path("user").path("email").asText()).isEqualTo(bob.email());
        call("GET", "/apps/" + app).as(bob).send().expectError(404, "not_found");
        assertThat(call("GET", "/users/~/apps").as(bob).send().json().findValuesAsText("name")).doesNotContain(app);
        call("GET", "/apps/" + app).as(carol).send().expect(200);
    }

    @Test
    void theOwnerRemovesCollaboratorsButNotThemselves() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        String id = add(alice, app, bob.email()).expect(201).json().path("id").asText();

        Response removed = call("DELETE", "/apps/" + app + "/collaborators/" + id).as(alice).send()
                .expect(200).matches("collaborator");
        assertThat(removed.json().path("role").asText()).isEqualTo("collaborator");
        call("GET", "/apps/" + app).as(bob).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/collaborators/" + id).as(alice).send().expectError(404, "not_found");

        Response owner = call("DELETE", "/apps/" + app + "/collaborators/" + alice.email()).as(alice).send()
                .expectError(422, "invalid_params");
        assertThat(owner.json().path("message").asText()).contains("transfer");
        assertThat(call("GET", "/apps/" + app + "/collaborators").as(alice).send().json()).hasSize(1);
    }

    @Test
    void someoneWithoutAccessGetsNotFoundEverywhere() {
        User alice = newUser();
        User bob = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        add(alice, app, bob.email()).expect(201);

        call("GET", "/apps/" + app).as(mallory).send().expectError(404, "not_found");
        call("PATCH", "/apps/" + app).as(mallory).json("{\"maintenance\":true}").send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app).as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/collaborators").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/collaborators/" + bob.email()).as(mallory).send().expectError(404, "not_found");
        add(mallory, app, mallory.email()).expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/collaborators/" + bob.email()).as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/domains").as(mallory).send().expectError(404, "not_found");
        assertThat(call("GET", "/users/~/apps").as(mallory).send().json().findValuesAsText("name")).doesNotContain(app);
        call("GET", "/apps/" + app + "/collaborators").send().expectError(401, "unauthorized");
        assertThat(call("GET", "/apps/" + app + "/collaborators").as(alice).send().json()).hasSize(2);
    }
}
