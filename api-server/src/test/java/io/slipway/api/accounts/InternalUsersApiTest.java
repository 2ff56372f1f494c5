package io.slipway.api.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.web.ComponentRole;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class InternalUsersApiTest extends ApiTest {
    @Autowired
    private AccountRepository accounts;

    private static String freshEmail() {
        return "internal-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private Call internal(String json) {
        return asComponent(ComponentRole.OPERATOR, "POST", "/internal/users").json(json);
    }

    @Test
    void createsAUserWhoseKeyWorks() {
        String email = freshEmail();
        Response created = internal("{\"email\":\"" + email + "\",\"password\":\"s3cret-pass\",\"admin\":true}").send()
                .expect(201);
        assertThat(created.json().path("email").asText()).isEqualTo(email);
        assertThat(UUID.fromString(created.json().path("id").asText())).isNotNull();
        String key = created.json().path("api_key").asText();
        assertThat(key).isNotBlank();

        User user = new User(UUID.fromString(created.json().path("id").asText()), email, "s3cret-pass", key);
        call("GET", "/apps").as(user).send().expect(200);
        Account account = accounts.findByEmail(email).orElseThrow();
        assertThat(account.admin()).isTrue();
        assertThat(Passwords.matches("s3cret-pass", account.passwordHash())).isTrue();
    }

    @Test
    void passwordAndAdminAreOptional() {
        String email = freshEmail();
        internal("{\"email\":\"" + email + "\"}").send().expect(201);
        Account account = accounts.findByEmail(email).orElseThrow();
        assertThat(account.admin()).isFalse();
        assertThat(account.passwordHash()).isNull();
    }

    @Test
    void refusesAnExistingEmailAndBadInput() {
        String email = freshEmail();
        internal("{\"email\":\"" + email + "\"}").send().expect(201);
        internal("{\"email\":\"" + email.toUpperCase() + "\"}").send().expectError(409, "conflict");
        internal("{\"email\":\"not-an-email\"}").send().expectError(422, "invalid_params");
        internal("{}").send().expectError(422, "invalid_params");
        internal("{\"email\":42}").send().expectError(422, "invalid_params");
        internal("{\"email\":\"" + freshEmail() + "\",\"admin\":\"yes\"}").send().expectError(422, "invalid_params");
        internal("{\"email\":\"" + freshEmail() + "\",\"password\":\"short\"}").send().expectError(422, "invalid_params");
        internal("{\"email\": ").send().expectError(400, "bad_request");
    }

    @Test
    void needsTheInternalToken() {
        String email = freshEmail();
        String body = "{\"email\":\"" + email + "\"}";
        internalCall("POST", "/internal/users").json(body).send().expectError(401, "unauthorized");
        internalCall("POST", "/internal/users").header("Authorization", "Bearer wrong").json(body).send()
                .expectError(401, "unauthorized");
        // a user's own API key is not a component token, and the public listener has no internal API
        internalCall("POST", "/internal/users").as(newUser()).json(body).send().expectError(401, "unauthorized");
        call("POST", "/internal/users").as(newUser()).json(body).send().expectError(404, "not_found");
        // only the operator's token creates users
        for (ComponentRole role : new ComponentRole[] {ComponentRole.ROUTER, ComponentRole.BUILD_WORKER,
                ComponentRole.GIT_GATEWAY}) {
            asComponent(role, "POST", "/internal/users").json(body).send().expectError(403, "forbidden");
        }
        String agent = newAgentId();
        asAgent(agent, "POST", "/internal/users").json(body).send().expectError(403, "forbidden");
        assertThat(accounts.findByEmail(email)).isEmpty();
    }
}
