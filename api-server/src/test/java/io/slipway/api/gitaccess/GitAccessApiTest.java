package io.slipway.api.gitaccess;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.support.TestDeploys;
import io.slipway.api.web.ComponentRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The git-gateway's internal API: who may push or fetch, push tokens, and the error answers. */
class GitAccessApiTest extends ApiTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Call internal(String method, String path) {
        return asComponent(ComponentRole.GIT_GATEWAY, method, path);
    }

    private String createApp(User owner) {
        String name = uniqueAppName("git");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private Response authorize(Map<String, Object> body) {
        return internal("POST", "/internal/git/authorize").json(JSON.writeValueAsString(body)).send();
    }

    @Test
    void aPushByTheOwnerGetsAShortLivedTokenThatWorksOnThePublicApi() {
        User alice = newUser();
        String app = createApp(alice);
        JsonNode granted = authorize(Map.of("app", app, "action", "push", "api_key", alice.apiKey())).expect(200).json();
        assertThat(granted.path("account_id").asText()).isEqualTo(alice.id().toString());
        assertThat(granted.path("email").asText()).isEqualTo(alice.email());
        assertThat(granted.path("app_name").asText()).isEqualTo(app);
        assertThat(granted.path("stack").asText()).isEqualTo("heroku-24");
        assertThat(granted.path("web_url").asText()).startsWith("http://" + app + ".");
        JsonNode appJson = call("GET", "/apps/" + app).as(alice).send().expect(200).json();
        assertThat(granted.path("app_id").asText()).isEqualTo(appJson.path("id").asText());

        String token = granted.path("push_token").asText();
        assertThat(token).startsWith("HRKU-").isNotEqualTo(alice.apiKey());
        call("GET", "/apps/" + app).header("Authorization", "Bearer " + token).send().expect(200);

        String tokenId = granted.path("push_token_id").asText();
        Response auth = call("GET", "/oauth/authorizations/" + tokenId).as(alice).send().expect(200)
                .matches("oauth-authorization");
        assertThat(auth.json().path("description").asText()).isEqualTo("git push " + app);
        long expiresIn = auth.json().path("access_token").path("expires_in").asLong();
        assertThat(expiresIn).isBetween(3500L, 3600L);

        // the gateway deletes the token with the token itself when the push ends
        call("DELETE", "/oauth/authorizations/" + tokenId).header("Authorization", "Bearer " + token).send().expect(200);
        call("GET", "/apps/" + app).header("Authorization", "Bearer " + token).send().expectError(401, "unauthorized");
    }

    @Test
    void aFetchGetsNoToken() {
        User alice = newUser();
        String app = createApp(alice);
        JsonNode granted = authorize(Map.of("app", app, "action", "fetch", "api_key", alice.apiKey())).expect(200).json();
        assertThat(granted.path("app_name").asText()).isEqualTo(app);
        assertThat(granted.get("push_token").isNull()).isTrue();
        assertThat(granted.get("push_token_id").isNull()).isTrue();
    }

    @Test
    void collaboratorsMayPushAndOthersAreToldTheAppDoesNotExist() {
        User alice = newUser();
        User bob = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":\"" + bob.email() + "\"}").send().expect(201);

        JsonNode bobs = authorize(Map.of("app", app, "action", "push", "api_key", bob.apiKey())).expect(200).json();
        assertThat(bobs.path("account_id").asText()).isEqualTo(bob.id().toString());

        Response foreign = authorize(Map.of("app", app, "action", "fetch", "api_key", mallory.apiKey()))
                .expectError(404, "not_found");
        assertThat(foreign.json().path("message").asText()).isEqualTo("Couldn't find that app.");
        Response missing = authorize(Map.of("app", "no-such-app-" + System.nanoTime() % 100000, "action", "push",
                "api_key", mallory.apiKey())).expectError(404, "not_found");
        assertThat(missing.body()).isEqualTo(foreign.body());
        authorize(Map.of("app", "../etc/passwd", "action", "push", "api_key", alice.apiKey())).expectError(404, "not_found");
    }

    @Test
    void anSshKeyIdentifiesItsAccountByFingerprint() throws Exception {
        User alice = newUser();
        String app = createApp(alice);
        Path key = dir.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key.toString()));
        String pub = Files.readString(Path.of(key + ".pub"));
        String fingerprint = call("POST", "/account/keys").as(alice).json(JSON.writeValueAsString(Map.of("public_key", pub)))
                .send().expect(201).json().path("fingerprint").asText();

        JsonNode granted = authorize(Map.of("app", app, "action", "push", "ssh_fingerprint", fingerprint)).expect(200).json();
        assertThat(granted.path("email").asText()).isEqualTo(alice.email());
        assertThat(granted.path("push_token").asText()).startsWith("HRKU-");

        authorize(Map.of("app", app, "action", "push", "ssh_fingerprint", "SHA256:unknownunknownunknownunknownunknownunknown"))
                .expectError(401, "unauthorized");
    }

    @Test
    void unknownKeysAreUnauthorizedBeforeAnythingIsSaidAboutTheApp() {
        authorize(Map.of("app", "whatever", "action", "push", "api_key", "HRKU-not-a-key")).expectError(401, "unauthorized");
        authorize(Map.of("app", "whatever", "action", "push", "api_key", "")).expectError(401, "unauthorized");
    }

    @Test
    void malformedRequestsAreRefused() {
        User alice = newUser();
        authorize(Map.of("app", "x", "action", "delete", "api_key", alice.apiKey())).expectError(422, "invalid_params");
        authorize(Map.of("app", "x", "action", "push")).expectError(422, "invalid_params");
        authorize(Map.of("app", "x", "action", "push", "api_key", alice.apiKey(), "ssh_fingerprint", "SHA256:x"))
                .expectError(422, "invalid_params");
        authorize(Map.of("action", "push", "api_key", alice.apiKey())).expectError(422, "invalid_params");
        authorize(Map.of("app", 12, "action", "push", "api_key", alice.apiKey())).expectError(422, "invalid_params");
        internal("POST", "/internal/git/authorize").json("{not json").send().expectError(400, "bad_request");
        internal("POST", "/internal/git/authorize").json("[1]").send().expectError(422, "invalid_params");
    }

    @Test
    void everyEndpointNeedsTheInternalToken() {
        User alice = newUser();
        String app = createApp(alice);
        internalCall("POST", "/internal/git/authorize").json("{\"app\":\"" + app + "\",\"action\":\"fetch\",\"api_key\":\""
                + alice.apiKey() + "\"}").send().expectError(401, "unauthorized");
        internalCall("POST", "/internal/git/authorize").as(alice).json("{}").send().expectError(401, "unauthorized");
        internalCall("POST", "/internal/apps/" + app + "/push-lock").json("{\"holder\":\"h\"}").send()
                .expectError(401, "unauthorized");
        internalCall("DELETE", "/internal/apps/" + app + "/push-lock?holder=h").send().expectError(401, "unauthorized");
        internalCall("POST", "/internal/apps/" + app + "/repo-urls").send().expectError(401, "unauthorized");
        // with a user's key on the public listener they do not exist; other components' tokens may not use them
        call("POST", "/internal/git/authorize").as(alice).json("{}").send().expectError(404, "not_found");
        call("POST", "/internal/apps/" + app + "/repo-urls").as(alice).send().expectError(404, "not_found");
        asComponent(ComponentRole.ROUTER, "POST", "/internal/apps/" + app + "/repo-urls").send()
                .expectError(403, "forbidden");
        asComponent(ComponentRole.BUILD_WORKER, "POST", "/internal/git/authorize").json("{}").send()
                .expectError(403, "forbidden");
    }

    @Test
    void onePushAtATimePerApp() {
        User alice = newUser();
        String app = createApp(alice);
        String other = createApp(alice);
        String lockPath = "/internal/apps/" + app + "/push-lock";
        JsonNode first = internal("POST", lockPath).json("{\"holder\":\"node-a/1\",\"ttl_seconds\":600}").send().expect(200).json();
        assertThat(first.path("holder").asText()).isEqualTo("node-a/1");
        Instant expires = Instant.parse(first.path("expires_at").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(590), Instant.now().plusSeconds(610));

        Response busy = internal("POST", lockPath).json("{\"holder\":\"node-b/2\"}").send().expectError(409, "conflict");
        assertThat(busy.json().path("message").asText())
                .isEqualTo("Another push to " + app + " is in progress; try again when it finishes.");
        // the gateway names the app by id (a rename during a push must not strand the lock): same lock
        String appId = call("GET", "/apps/" + app).as(alice).send().expect(200).json().path("id").asText();
        internal("POST", "/internal/apps/" + appId + "/push-lock").json("{\"holder\":\"node-b/2\"}").send()
                .expectError(409, "conflict");
        // other apps are independent
        internal("POST", "/internal/apps/" + other + "/push-lock").json("{\"holder\":\"node-b/2\"}").send().expect(200);

        // the holder renews; someone else's release does not free it
        internal("POST", lockPath).json("{\"holder\":\"node-a/1\",\"ttl_seconds\":900}").send().expect(200);
        internal("DELETE", lockPath + "?holder=node-b/2").send().expect(204);
        internal("POST", lockPath).json("{\"holder\":\"node-b/2\"}").send().expectError(409, "conflict");

        internal("DELETE", lockPath + "?holder=node-a/1").send().expect(204);
        internal("DELETE", lockPath + "?holder=node-a/1").send().expect(204);
        internal("POST", lockPath).json("{\"holder\":\"node-b/2\"}").send().expect(200);
    }

    @Test
    void anExpiredLockIsTakenOver() throws InterruptedException {
        User alice = newUser();
        String app = createApp(alice);
        String lockPath = "/internal/apps/" + app + "/push-lock";
        internal("POST", lockPath).json("{\"holder\":\"crashed/1\",\"ttl_seconds\":1}").send().expect(200);
        internal("POST", lockPath).json("{\"holder\":\"next/2\"}").send().expectError(409, "conflict");
        // the next holder retries, as the git-gateway does, until the crashed holder's second has run out
        Response[] attempt = new Response[1];
        TestDeploys.await("the expired lock taken over", () -> {
            attempt[0] = internal("POST", lockPath).json("{\"holder\":\"next/2\"}").send();
            return attempt[0].status() != 409;
        });
        JsonNode taken = attempt[0].expect(200).json();
        assertThat(taken.path("holder").asText()).isEqualTo("next/2");
        // the crashed holder coming back cannot release the new holder's lock
        internal("DELETE", lockPath + "?holder=crashed/1").send().expect(204);
        internal("POST", lockPath).json("{\"holder\":\"crashed/1\"}").send().expectError(409, "conflict");
    }

    @Test
    void pushLockInputIsChecked() {
        User alice = newUser();
        String app = createApp(alice);
        String lockPath = "/internal/apps/" + app + "/push-lock";
        internal("POST", "/internal/apps/no-such-app-xyz/push-lock").json("{\"holder\":\"h\"}").send().expectError(404, "not_found");
        internal("POST", lockPath).json("{}").send().expectError(422, "invalid_params");
        internal("POST", lockPath).json("{\"holder\":\"\"}").send().expectError(422, "invalid_params");
        internal("POST", lockPath).json("{\"holder\":\"h\",\"ttl_seconds\":0}").send().expectError(422, "invalid_params");
        internal("POST", lockPath).json("{\"holder\":\"h\",\"ttl_seconds\":3601}").send().expectError(422, "invalid_params");
        internal("POST", lockPath).json("{\"holder\":\"h\",\"ttl_seconds\":\"60\"}").send().expectError(422, "invalid_params");
        internal("POST", lockPath).json("{\"holder\":\"h\",\"ttl_seconds\":1.5}").send().expectError(422, "invalid_params");
        internal("POST", lockPath).json("{\"holder\":\"" + "h".repeat(201) + "\"}").send().expectError(422, "invalid_params");
        internal("DELETE", lockPath).send().expectError(422, "invalid_params");
        internal("DELETE", "/internal/apps/no-such-app-xyz/push-lock?holder=h").send().expect(204);
    }

    @Test
    void anAppCanBeDestroyedWhileLocked() {
        User alice = newUser();
        String app = createApp(alice);
        internal("POST", "/internal/apps/" + app + "/push-lock").json("{\"holder\":\"h\"}").send().expect(200);
        call("DELETE", "/apps/" + app).as(alice).send().expect(200);
        internal("POST", "/internal/apps/" + app + "/push-lock").json("{\"holder\":\"h\"}").send().expectError(404, "not_found");
    }

    @Test
    void repositoryUrlsNeedObjectStorage() {
        User alice = newUser();
        String app = createApp(alice);
        // this test context runs without slipway.s3.*; the git-gateway end-to-end tests use a configured store
        Response r = internal("POST", "/internal/apps/" + app + "/repo-urls").send().expectError(503, "storage_unavailable");
        assertThat(r.json().path("message").asText()).contains("Object storage is not configured");
        internal("POST", "/internal/apps/no-such-app-xyz/repo-urls").send().expectError(404, "not_found");
    }

    @Test
    void gitPathsBypassApiAuthenticationAndAre404WithoutAGateway() {
        // no slipway.git-gateway-url in this context: git paths are not served, and no Bearer token is demanded
        Response r = call("GET", "/my-app.git/info/refs?service=git-receive-pack").send().expectError(404, "not_found");
        assertThat(r.header("WWW-Authenticate")).isNull();
        call("POST", "/my-app.git/git-receive-pack").send().expectError(404, "not_found");
        // only app-name-shaped paths are git paths; the API keeps its own rules elsewhere
        call("GET", "/apps").send().expectError(401, "unauthorized");
        call("GET", "/My-App.git/info/refs").send().expectError(401, "unauthorized");
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    }

}
