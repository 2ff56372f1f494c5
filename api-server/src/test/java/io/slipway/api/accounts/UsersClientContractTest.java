package io.slipway.api.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.users.UsersClient;
import io.slipway.shared.users.UsersClient.CreatedUser;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The launcher's user client ({@link UsersClient}, {@code users:create} and a cluster's first admin) against the
 * real api-server: the created account parses into {@link CreatedUser} and its key works; refusals surface as
 * {@link InternalApiException} with the Heroku id and the server's message.
 */
class UsersClientContractTest extends ApiTest {
    @Autowired
    private AccountRepository accounts;

    private UsersClient client(String token) {
        return new UsersClient(new InternalTransport(URI.create(internalBaseUrl()), token, HTTP));
    }

    private static String freshEmail() {
        return "contract-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void createsAnAccountWhoseKeyWorks() throws Exception {
        String email = freshEmail();
        CreatedUser created = client(token(ComponentRole.OPERATOR)).create(email, "s3cret-pass", true);
        assertThat(created.email()).isEqualTo(email);
        assertThat(created.apiKey()).isNotBlank();
        assertThat(created.toString()).doesNotContain(created.apiKey());
        User user = new User(UUID.fromString(created.id()), email, "s3cret-pass", created.apiKey());
        call("GET", "/apps").as(user).send().expect(200);
        assertThat(accounts.findByEmail(email).orElseThrow().admin()).isTrue();

        CreatedUser keyOnly = client(token(ComponentRole.OPERATOR)).create(freshEmail(), null, false);
        assertThat(keyOnly.apiKey()).isNotBlank();
        assertThat(accounts.findByEmail(keyOnly.email()).orElseThrow().admin()).isFalse();
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() throws Exception {
        String email = freshEmail();
        expectError(401, "unauthorized", () -> client("not-a-token").create(email, null, false));
        // only the operator's token creates users: a compromised router or agent may not mint accounts
        expectError(403, "forbidden", () -> client(token(ComponentRole.ROUTER)).create(email, null, false));
        expectError(403, "forbidden", () -> client(agentToken(newAgentId())).create(email, null, false));
        assertThat(accounts.findByEmail(email)).isEmpty();

        UsersClient operator = client(token(ComponentRole.OPERATOR));
        expectError(422, "invalid_params", () -> operator.create("not-an-email", null, false));
        expectError(422, "invalid_params", () -> operator.create(freshEmail(), "short", false));
        operator.create(email, null, false);
        InternalApiException taken = expectError(409, "conflict", () -> operator.create(email.toUpperCase(), null, false));
        assertThat(taken.getMessage()).doesNotStartWith("HTTP").doesNotContain("{");
    }

    private static InternalApiException expectError(int status, String id, Executable call) {
        InternalApiException e = assertThrows(InternalApiException.class, call);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.id()).as(e.getMessage()).isEqualTo(id);
        return e;
    }
}
