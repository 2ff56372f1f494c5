package io.slipway.api.dynos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestDeploys;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A one-off's {@code attach_url} holds the secret that opens its shell at the rendezvous: whoever has it gets
 * the dyno's terminal (and its config vars). A collaborator on the same app must not get another user's.
 */
class AttachUrlVisibilityTest extends ApiTest {
    @Autowired
    ApplicationContext context;

    @Test
    void collaboratorDoesNotSeeAnotherUsersAttachUrl() {
        User alice = newUser();
        User bob = newUser();
        String app = uniqueAppName("attach");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":\"" + bob.email() + "\"}").send()
                .expect(201);
        TestDeploys.deploy(context, app, Map.of("web", "npm start"));

        JsonNode run = call("POST", "/apps/" + app + "/dynos").as(alice)
                .json("{\"attach\":true,\"command\":\"bash\"}").send().expect(201).json();
        String name = run.path("name").asText();
        String attachUrl = run.path("attach_url").asText();
        assertThat(attachUrl).startsWith("rendezvous://");

        // alice, who started it, still sees it
        assertThat(call("GET", "/apps/" + app + "/dynos/" + name).as(alice).send().expect(200).json()
                .path("attach_url").asText()).isEqualTo(attachUrl);

        // bob, a collaborator, sees the dyno but not its attach_url, by name, by id or in the list
        JsonNode byName = call("GET", "/apps/" + app + "/dynos/" + name).as(bob).send().expect(200).json();
        assertThat(byName.path("name").asText()).isEqualTo(name);
        assertThat(byName.path("attach_url").isNull()).isTrue();
        assertThat(call("GET", "/apps/" + app + "/dynos/" + run.path("id").asText()).as(bob).send().expect(200)
                .json().path("attach_url").isNull()).isTrue();
        JsonNode list = call("GET", "/apps/" + app + "/dynos").as(bob).send().expect(200).json();
        list.forEach(d -> assertThat(d.path("attach_url").isNull()).isTrue());
        assertThat(call("GET", "/apps/" + app + "/dynos").as(bob).send().body()).doesNotContain(attachUrl);

        // bob's own one-off is his to attach to, and alice does not see it
        JsonNode bobs = call("POST", "/apps/" + app + "/dynos").as(bob)
                .json("{\"attach\":true,\"command\":\"bash\"}").send().expect(201).json();
        assertThat(bobs.path("attach_url").asText()).startsWith("rendezvous://");
        assertThat(call("GET", "/apps/" + app + "/dynos/" + bobs.path("name").asText()).as(alice).send().expect(200)
                .json().path("attach_url").isNull()).isTrue();
    }
}
