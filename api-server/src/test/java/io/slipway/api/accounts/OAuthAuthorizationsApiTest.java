package io.slipway.api.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class OAuthAuthorizationsApiTest extends ApiTest {
    @Autowired
    JdbcTemplate jdbc;

    private static final String LOGIN_BODY =
            "{\"description\":\"Heroku CLI login from laptop\",\"expires_in\":2592000,\"scope\":[\"global\"]}";

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code heroku login -i}: Basic email:password, as the CLI sends it. */
    private Response login(User user) {
        return call("POST", "/oauth/authorizations").header("Authorization", basic(user.email(), user.password()))
                .json(LOGIN_BODY).send();
    }

    private Call withToken(String method, String path, String token) {
        return call(method, path).header("Authorization", "Bearer " + token);
    }

    /** The CLI's own rule (heroku-cli-command login.ts isCurrentOAuthToken) for "this listed token is mine". */
    private static boolean cliMatches(String localToken, String apiToken) {
        int stars = apiToken.indexOf("**********");
        if (stars < 0) return localToken.equals(apiToken);
        String prefix = apiToken.substring(0, stars);
        String suffix = apiToken.substring(stars + 10);
        return localToken.startsWith(prefix) && (suffix.isEmpty() || localToken.endsWith(suffix));
    }

    @Test
    void loginWithEmailAndPasswordCreatesAWorkingToken() {
        User alice = newUser();
        Response created = login(alice).expect(201).matches("oauth-authorization");
        JsonNode json = created.json();
        String token = json.path("access_token").path("token").asText();
        assertThat(token).startsWith("HRKU-").hasSizeGreaterThan(40).isNotEqualTo(alice.apiKey());
        assertThat(json.path("user").path("email").asText()).isEqualTo(alice.email());
        assertThat(json.path("user").path("id").asText()).isEqualTo(alice.id().toString());
        assertThat(json.path("scope").toString()).isEqualTo("[\"global\"]");
        assertThat(json.path("description").asText()).isEqualTo("Heroku CLI login from laptop");
        long expiresIn = json.path("access_token").path("expires_in").asLong();
        assertThat(expiresIn).isBetween(2591990L, 2592000L);

        Response account = withToken("GET", "/account", token).send().expect(200);
        assertThat(account.json().path("email").asText()).isEqualTo(alice.email());
        assertThat(account.json().path("last_login").isNull()).isFalse();
    }

    /**
     * A stolen token stops working when its authorization expires or is revoked, and never names anyone else. The
     * changes here are made in the database by hand, which notifies no replica (revocations through the API do:
     * TokenRevocationReplicasTest): this replica, which remembers a token it has just seen for
     * {@code IdentifyByToken.REMEMBERED}, must refuse it within that time.
     */
    @Test
    void expiredOrRevokedTokensAreRefusedAndATokenIsOnlyItsOwner() {
        User alice = newUser();
        User bob = newUser();
        String token = login(alice).expect(201).json().path("access_token").path("token").asText();
        String id = withToken("GET", "/account", token).send().expect(200).json().path("id").asText();
        assertThat(id).isEqualTo(alice.id().toString()).isNotEqualTo(bob.id().toString());
        withToken("GET", "/account", token + "x").send().expectError(401, "unauthorized");

        jdbc.update("UPDATE oauth_authorizations SET expires_at = now() - interval '1 second' WHERE account_id = ? "
                + "AND NOT api_key", alice.id());
        refusedWithin(token, "/account");
        withToken("GET", "/apps", token).send().expectError(401, "unauthorized");
        withToken("GET", "/account", alice.apiKey()).send().expect(200); // her other token is not affected

        jdbc.update("DELETE FROM oauth_authorizations WHERE account_id = ?", alice.id());
        refusedWithin(alice.apiKey(), "/account");
        withToken("GET", "/account", bob.apiKey()).send().expect(200);
    }

    /** Revoked through this replica, a token that has just been used is refused by the very next request. */
    @Test
    void aTokenRevokedHereIsRefusedAtOnce() {
        User alice = newUser();
        Response login = login(alice).expect(201);
        String token = login.json().path("access_token").path("token").asText();
        String id = login.json().path("id").asText();
        for (int i = 0; i < 3; i++) withToken("GET", "/account", token).send().expect(200);
        withToken("DELETE", "/oauth/authorizations/" + id, alice.apiKey()).send().expect(200);
        withToken("GET", "/account", token).send().expectError(401, "unauthorized");
    }

    /** Refused at the latest a little after the token cache's lifetime (1 s), and from then on. */
    private void refusedWithin(String token, String path) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
        while (withToken("GET", path, token).send().status() != 401) {
            assertThat(System.nanoTime()).as("still accepted 3 s after the change").isLessThan(deadline);
            try {
                Thread.sleep(50); // polls the condition; a tighter loop would spend the account's rate limit
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        withToken("GET", path, token).send().expectError(401, "unauthorized");
    }

    @Test
    void passwordIsAcceptedOnlyToCreateAnAuthorization() {
        User alice = newUser();
        call("POST", "/oauth/authorizations").header("Authorization", basic(alice.email(), "wrong-password"))
                .json(LOGIN_BODY).send().expectError(401, "unauthorized");
        call("GET", "/account").header("Authorization", basic(alice.email(), alice.password())).send()
                .expectError(401, "unauthorized");
        call("GET", "/oauth/authorizations").header("Authorization", basic(alice.email(), alice.password())).send()
                .expectError(401, "unauthorized");
    }

    /** An account without a password logs in with its API key as the password (Basic with the token). */
    @Test
    void loginWithTheApiKeyAsPasswordWorks() {
        User alice = newUser();
        Response r = call("POST", "/oauth/authorizations").header("Authorization", basic(alice.email(), alice.apiKey()))
                .json(LOGIN_BODY).send().expect(201).matches("oauth-authorization");
        withToken("GET", "/account", r.json().path("access_token").path("token").asText()).send().expect(200);
    }

    @Test
    void validatesTheRequest() {
        User alice = newUser();
        for (String body : new String[] {
                "{\"expires_in\":0}", "{\"expires_in\":-5}", "{\"expires_in\":2592001}", "{\"expires_in\":\"3600\"}",
                "{\"expires_in\":1.5}", "{\"expires_in\":99999999999999999999999}", "{\"scope\":\"global\"}",
                "{\"scope\":[1]}", "{\"scope\":[]}", "{\"scope\":[\"read\"]}", "{\"scope\":[\"global\",\"write\"]}",
                "{\"description\":7}", "{\"client\":{\"id\":\"01234567-89ab-cdef-0123-456789abcdef\"}}", "[]"}) {
            call("POST", "/oauth/authorizations").as(alice).json(body).send().expectError(422, "invalid_params");
        }
        call("POST", "/oauth/authorizations").as(alice).json("{\"scope\":").send().expectError(400, "bad_request");
        // nothing was created by the refused requests: only the API key is listed
        assertThat(call("GET", "/oauth/authorizations").as(alice).send().expect(200).json().size()).isEqualTo(1);
    }

    @Test
    void withoutExpiresInTheTokenDoesNotExpire() {
        User alice = newUser();
        Response r = call("POST", "/oauth/authorizations").as(alice).json("{\"description\":\"ci\"}").send()
                .expect(201).matches("oauth-authorization");
        assertThat(r.json().path("access_token").get("expires_in").isNull()).isTrue();
        assertThat(r.json().path("scope").toString()).isEqualTo("[\"global\"]");
    }

    @Test
    void listsOwnAuthorizationsWithRedactedTokens() {
        User alice = newUser();
        User bob = newUser();
        String token = login(alice).expect(201).json().path("access_token").path("token").asText();
        login(bob).expect(201);

        Response list = call("GET", "/oauth/authorizations").as(alice).send().expect(200).matches("oauth-authorization");
        assertThat(list.json().size()).isEqualTo(2);
        for (JsonNode a : list.json()) {
            String shown = a.path("access_token").path("token").asText();
            assertThat(shown).startsWith("HRKU-**********").hasSize("HRKU-**********".length() + 4);
            assertThat(a.path("user").path("email").asText()).isEqualTo(alice.email());
            assertThat(list.body()).doesNotContain(token).doesNotContain(alice.apiKey());
        }
        String id = list.json().get(0).path("id").asText();
        call("GET", "/oauth/authorizations/" + id).as(alice).send().expect(200).matches("oauth-authorization");
        call("GET", "/oauth/authorizations/" + id).as(bob).send().expectError(404, "not_found");
        call("DELETE", "/oauth/authorizations/" + id).as(bob).send().expectError(404, "not_found");
        call("GET", "/oauth/authorizations/not-a-uuid").as(alice).send().expectError(404, "not_found");
    }

    @Test
    void tildeIsTheAccountsApiKey() {
        User alice = newUser();
        Response apiKey = call("GET", "/oauth/authorizations/~").as(alice).send().expect(200)
                .matches("oauth-authorization");
        assertThat(cliMatches(alice.apiKey(), apiKey.json().path("access_token").path("token").asText())).isTrue();
        assertThat(apiKey.json().path("access_token").get("expires_in").isNull()).isTrue();
        // the same answer whichever token asks
        String token = login(alice).expect(201).json().path("access_token").path("token").asText();
        Response viaLogin = withToken("GET", "/oauth/authorizations/~", token).send().expect(200);
        assertThat(viaLogin.json().path("id").asText()).isEqualTo(apiKey.json().path("id").asText());
    }

    /** {@code heroku logout}, call by call, with the CLI's matching rule: it revokes the login token only. */
    @Test
    void logoutRevokesTheLoginTokenAndLeavesTheApiKey() {
        User alice = newUser();
        String token = login(alice).expect(201).json().path("access_token").path("token").asText();

        Response session = withToken("DELETE", "/oauth/sessions/~", token).send().expectError(404, "not_found");
        assertThat(session.json().path("resource").asText()).isEqualTo("session");

        String defaultToken = withToken("GET", "/oauth/authorizations/~", token).send().expect(200)
                .json().path("access_token").path("token").asText();
        assertThat(cliMatches(token, defaultToken)).as("the login token is not the API key").isFalse();

        List<String> toDelete = new ArrayList<>();
        for (JsonNode a : withToken("GET", "/oauth/authorizations", token).send().expect(200).json()) {
            if (cliMatches(token, a.path("access_token").path("token").asText())) toDelete.add(a.path("id").asText());
        }
        assertThat(toDelete).hasSize(1);
        withToken("DELETE", "/oauth/authorizations/" + toDelete.get(0), token).send().expect(200)
                .matches("oauth-authorization");

        withToken("GET", "/account", token).send().expectError(401, "unauthorized");
        call("GET", "/account").as(alice).send().expect(200);
    }

    /** Logging out while using the API key itself: the CLI sees it is the API key and deletes nothing. */
    @Test
    void theApiKeyIsRecognisedByTheCli() {
        User alice = newUser();
        String defaultToken = call("GET", "/oauth/authorizations/~").as(alice).send().expect(200)
                .json().path("access_token").path("token").asText();
        assertThat(cliMatches(alice.apiKey(), defaultToken)).isTrue();
    }

    @Test
    void revokedApiKeyLeavesTildeNotFound() {
        User alice = newUser();
        String token = login(alice).expect(201).json().path("access_token").path("token").asText();
        String apiKeyId = call("GET", "/oauth/authorizations/~").as(alice).send().expect(200).json().path("id").asText();
        withToken("DELETE", "/oauth/authorizations/" + apiKeyId, token).send().expect(200);
        call("GET", "/account").as(alice).send().expectError(401, "unauthorized");
        Response r = withToken("GET", "/oauth/authorizations/~", token).send().expectError(404, "not_found");
        assertThat(r.json().path("resource").asText()).isEqualTo("authorization");
        withToken("DELETE", "/oauth/authorizations/" + apiKeyId, token).send().expectError(404, "not_found");
    }
}
