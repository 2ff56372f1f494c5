package io.slipway.api.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import org.junit.jupiter.api.Test;

class AccountApiTest extends ApiTest {

    @Test
    void showsTheCallersAccountWithEveryField() {
        User alice = newUser();
        Response r = call("GET", "/account").as(alice).send().expect(200).matches("account");
        var json = r.json();
        assertThat(json.path("email").asText()).isEqualTo(alice.email());
        assertThat(json.path("id").asText()).isEqualTo(alice.id().toString());
        assertThat(json.path("verified").asBoolean()).isTrue();
        assertThat(json.path("two_factor_authentication").asBoolean(true)).isFalse();
        assertThat(json.path("federated").asBoolean(true)).isFalse();
        assertThat(json.path("beta").asBoolean(true)).isFalse();
        assertThat(json.path("allow_tracking").asBoolean(false)).isTrue();
        for (String nullField : new String[] {"default_organization", "default_team", "identity_provider",
                "sms_number", "suspended_at", "delinquent_at", "country_of_residence", "name", "last_login"}) {
            assertThat(json.has(nullField)).as(nullField).isTrue();
            assertThat(json.get(nullField).isNull()).as(nullField).isTrue();
        }
        assertThat(json.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    /** The CLI's "particleboard" check calls GET /account with the same token and reads only suspension dates. */
    @Test
    void answersTheParticleboardCheckWithoutSuspensionDates() {
        User alice = newUser();
        Response r = call("GET", "/account").as(alice).header("User-Agent", "heroku-cli/11.10.0 linux").send()
                .expect(200);
        assertThat(r.json().has("scheduled_suspension_time")).isFalse();
        assertThat(r.json().has("scheduled_deletion_time")).isFalse();
    }

    @Test
    void updatesNameAndSettingsAndKeepsThem() {
        User alice = newUser();
        Response r = call("PATCH", "/account").as(alice)
                .json("{\"name\":\"  Alice Liddell \",\"beta\":true,\"allow_tracking\":false}").send()
                .expect(200).matches("account");
        assertThat(r.json().path("name").asText()).isEqualTo("Alice Liddell");
        assertThat(r.json().path("beta").asBoolean()).isTrue();
        assertThat(r.json().path("allow_tracking").asBoolean(true)).isFalse();

        Response again = call("GET", "/account").as(alice).send().expect(200);
        assertThat(again.json().path("name").asText()).isEqualTo("Alice Liddell");
        assertThat(again.json().path("beta").asBoolean()).isTrue();
        assertThat(again.json().path("allow_tracking").asBoolean(true)).isFalse();

        // only what is sent changes; null clears the name
        Response cleared = call("PATCH", "/account").as(alice).json("{\"name\":null}").send().expect(200);
        assertThat(cleared.json().get("name").isNull()).isTrue();
        assertThat(cleared.json().path("beta").asBoolean()).isTrue();
    }

    @Test
    void refusesBadTypesAndUnchangeableFields() {
        User alice = newUser();
        call("PATCH", "/account").as(alice).json("{\"name\":42}").send().expectError(422, "invalid_params");
        call("PATCH", "/account").as(alice).json("{\"beta\":\"yes\"}").send().expectError(422, "invalid_params");
        call("PATCH", "/account").as(alice).json("{\"allow_tracking\":1}").send().expectError(422, "invalid_params");
        call("PATCH", "/account").as(alice).json("{\"name\":\"" + "x".repeat(256) + "\"}").send()
                .expectError(422, "invalid_params");
        call("PATCH", "/account").as(alice).json("{\"email\":\"other@example.com\"}").send()
                .expectError(422, "invalid_params");
        call("PATCH", "/account").as(alice).json("{\"password\":\"new-password\"}").send()
                .expectError(422, "invalid_params");
        call("PATCH", "/account").as(alice).json("{\"name\": ").send().expectError(400, "bad_request");
        Response after = call("GET", "/account").as(alice).send().expect(200);
        assertThat(after.json().path("email").asText()).isEqualTo(alice.email());
        assertThat(after.json().get("name").isNull()).isTrue();
    }

    @Test
    void usersEndpointAnswersOnlyForTheCaller() {
        User alice = newUser();
        User bob = newUser();
        call("GET", "/users/~").as(alice).send().expect(200).matches("account");
        Response byEmail = call("GET", "/users/" + alice.email()).as(alice).send().expect(200).matches("account");
        assertThat(byEmail.json().path("id").asText()).isEqualTo(alice.id().toString());
        call("GET", "/users/" + alice.id()).as(alice).send().expect(200);
        call("GET", "/users/" + bob.email()).as(alice).send().expectError(404, "not_found");
        call("GET", "/users/" + bob.id()).as(alice).send().expectError(404, "not_found");
        Response patched = call("PATCH", "/users/~").as(alice).json("{\"name\":\"Al\"}").send().expect(200)
                .matches("account");
        assertThat(patched.json().path("name").asText()).isEqualTo("Al");
        call("PATCH", "/users/" + bob.email()).as(alice).json("{\"name\":\"Mallory\"}").send()
                .expectError(404, "not_found");
        assertThat(call("GET", "/account").as(bob).send().json().get("name").isNull()).isTrue();
    }

    @Test
    void requiresAuthentication() {
        call("GET", "/account").send().expectError(401, "unauthorized");
        call("PATCH", "/account").json("{\"name\":\"x\"}").send().expectError(401, "unauthorized");
    }
}
