package io.slipway.api.acm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.acme.AcmeChallengesClient;
import io.slipway.shared.acme.AcmeChallengesClient.KeyAuthorization;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The router's ACME challenge client ({@link AcmeChallengesClient}) against the real api-server: a token issued for
 * a host parses into {@link KeyAuthorization}; another host's or an unknown token reads as none (so a tenant's
 * hostname cannot fetch another's challenge through the router); refusals fail the future with
 * {@link InternalApiException} and the Heroku id.
 */
class AcmeChallengesClientContractTest extends ApiTest {
    @Autowired
    private JdbcTemplate jdbc;

    private AcmeChallengesClient client(String token) {
        return new AcmeChallengesClient(new InternalTransport(URI.create(internalBaseUrl()), token, HTTP));
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private static Optional<KeyAuthorization> ask(AcmeChallengesClient client, String token, String host) throws Exception {
        return client.answer(token, host).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aTokenIsAnsweredForItsOwnHostOnly() throws Exception {
        String token = "tok_" + tag();
        String host = "shop-" + tag() + ".example.test";
        new AcmeChallenges(jdbc).put(token, host, token + ".thumbprint");
        try {
            AcmeChallengesClient router = client(token(ComponentRole.ROUTER));
            assertThat(ask(router, token, host)).contains(new KeyAuthorization(token, host, token + ".thumbprint"));
            assertThat(ask(router, token, host.toUpperCase())).map(KeyAuthorization::value)
                    .contains(token + ".thumbprint");
            // another tenant's hostname, another token: none
            assertThat(ask(router, token, "evil-" + tag() + ".example.test")).isEmpty();
            assertThat(ask(router, "other" + token, host)).isEmpty();
            // what is not a base64url token is not asked about (no path or query smuggled into the call)
            assertThat(ask(router, token + "/..", host)).isEmpty();
            assertThat(ask(router, token + "?host=" + host, "evil.example.test")).isEmpty();
            assertThat(ask(router, token, "")).isEmpty();
        } finally {
            new AcmeChallenges(jdbc).remove(token);
        }
        assertThat(ask(client(token(ComponentRole.ROUTER)), token, host)).isEmpty(); // gone once removed
    }

    @Test
    void refusalsFailTheFutureWithTheOneErrorType() {
        String token = "tok_" + tag();
        String host = "shop-" + tag() + ".example.test";
        new AcmeChallenges(jdbc).put(token, host, token + ".thumbprint");
        try {
            expectError(401, "unauthorized", client("not-a-token"), token, host);
            // only the router may read challenge answers
            for (ComponentRole role : List.of(ComponentRole.BUILD_WORKER, ComponentRole.GIT_GATEWAY, ComponentRole.OPERATOR)) {
                expectError(403, "forbidden", client(token(role)), token, host);
            }
            expectError(403, "forbidden", client(agentToken(newAgentId())), token, host);
        } finally {
            new AcmeChallenges(jdbc).remove(token);
        }
    }

    private static void expectError(int status, String id, AcmeChallengesClient client, String token, String host) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> ask(client, token, host));
        assertThat(e.getCause()).isInstanceOf(InternalApiException.class);
        InternalApiException api = (InternalApiException) e.getCause();
        assertThat(api.status()).as(api.getMessage()).isEqualTo(status);
        assertThat(api.id()).as(api.getMessage()).isEqualTo(id);
    }
}
