package io.slipway.api.gitaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slipway.api.support.StorageApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.gitaccess.Access;
import io.slipway.shared.gitaccess.GitAccessClient;
import io.slipway.shared.gitaccess.GitAccessClient.Action;
import io.slipway.shared.gitaccess.GitAccessClient.Credential;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git-gateway's internal git client ({@link GitAccessClient}) against the real api-server: grants, push locks,
 * repository URLs and key lookups parse into the client's records; refusals surface as {@link InternalApiException}
 * with the Heroku id (the gateway's adapter turns those into what the git user sees).
 */
class GitAccessClientContractTest extends StorageApiTest {
    @TempDir
    Path dir;

    private GitAccessClient client(String token) {
        return new GitAccessClient(new InternalTransport(URI.create(internalBaseUrl()), token, HTTP));
    }

    private GitAccessClient gateway() {
        return client(token(ComponentRole.GIT_GATEWAY));
    }

    @Test
    void grantsLocksAndRepositoryUrls() throws Exception {
        User alice = newUser();
        String app = createApp(alice, "gitc");
        String appId = app(alice, app).path("id").asText();

        Access push = gateway().authorize(app, Action.PUSH, Credential.API_KEY, alice.apiKey());
        assertThat(push.accountId()).isEqualTo(alice.id().toString());
        assertThat(push.email()).isEqualTo(alice.email());
        assertThat(push.appId()).isEqualTo(appId);
        assertThat(push.appName()).isEqualTo(app);
        assertThat(push.stack()).isEqualTo("heroku-24");
        assertThat(push.webUrl()).contains(app);
        assertThat(push.pushToken()).startsWith("HRKU-");
        assertThat(push.pushTokenId()).isNotBlank();
        Access fetch = gateway().authorize(app, Action.FETCH, Credential.API_KEY, alice.apiKey());
        assertThat(fetch.appId()).isEqualTo(appId);
        assertThat(fetch.pushToken()).isNull();
        assertThat(fetch.pushTokenId()).isNull();

        // another tenant's key learns nothing about alice's app: the same 404 as for no app at all
        User mallory = newUser();
        expectError(404, "not_found", () -> gateway().authorize(app, Action.FETCH, Credential.API_KEY, mallory.apiKey()));
        expectError(401, "unauthorized", () -> gateway().authorize(app, Action.PUSH, Credential.API_KEY, "HRKU-not-a-key"));

        assertThat(gateway().lock(appId, "node-a/1", 600)).isTrue();
        assertThat(gateway().lock(app, "node-b/2", 600)).isFalse(); // by name or id: the same lock
        gateway().unlock(appId, "node-b/2"); // someone else's release does not free it
        assertThat(gateway().lock(appId, "node-b/2", 600)).isFalse();
        gateway().unlock(appId, "node-a/1");
        assertThat(gateway().lock(appId, "node-b/2", 600)).isTrue();
        gateway().unlock(appId, "node-b/2");

        GitAccessClient.RepoUrls urls = gateway().repoUrls(appId);
        byte[] archive = "a repository archive".getBytes(StandardCharsets.UTF_8);
        assertThat(upload(urls.putUrl(), archive)).isEqualTo(200);
        assertThat(download(urls.getUrl()).body()).isEqualTo(archive);
    }

    @Test
    void sshKeysAreLookedUpAndGrantByFingerprint() throws Exception {
        User alice = newUser();
        String app = createApp(alice, "gitk");
        Path key = dir.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "alice", "-f", key.toString()));
        String fingerprint = call("POST", "/account/keys").as(alice)
                .json("{\"public_key\":\"" + Files.readString(Path.of(key + ".pub")).trim() + "\"}")
                .send().expect(201).json().path("fingerprint").asText();

        assertThat(gateway().sshKeyKnown(fingerprint)).isTrue();
        assertThat(gateway().sshKeyKnown("SHA256:unknownunknownunknownunknownunknownunknown")).isFalse();
        Access access = gateway().authorize(app, Action.PUSH, Credential.SSH_FINGERPRINT, fingerprint);
        assertThat(access.email()).isEqualTo(alice.email());
        assertThat(access.pushToken()).startsWith("HRKU-");
        expectError(401, "unauthorized", () -> gateway().authorize(app, Action.PUSH, Credential.SSH_FINGERPRINT,
                "SHA256:unknownunknownunknownunknownunknownunknown"));
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() {
        User alice = newUser();
        String app = createApp(alice, "gitr");
        GitAccessClient wrongToken = client("not-a-token");
        expectError(401, "unauthorized", () -> wrongToken.authorize(app, Action.FETCH, Credential.API_KEY, alice.apiKey()));
        expectError(401, "unauthorized", () -> wrongToken.lock(app, "h", 60));
        expectError(401, "unauthorized", () -> wrongToken.sshKeyKnown("SHA256:x"));
        // other components' tokens may not use the git endpoints (a build-worker would mint push tokens)
        expectError(403, "forbidden", () -> client(token(ComponentRole.BUILD_WORKER))
                .authorize(app, Action.PUSH, Credential.API_KEY, alice.apiKey()));
        expectError(403, "forbidden", () -> client(token(ComponentRole.ROUTER)).repoUrls(app));
        expectError(404, "not_found", () -> gateway().lock("no-such-app-xyz", "h", 60));
        expectError(404, "not_found", () -> gateway().repoUrls("no-such-app-xyz"));
        expectError(422, "invalid_params", () -> gateway().lock(app, "h", 0));
        expectError(422, "invalid_params", () -> gateway().lock(app, "", 60));
        expectError(422, "invalid_params", () -> gateway().authorize(null, Action.PUSH, Credential.API_KEY, alice.apiKey()));
    }

    private static void expectError(int status, String id, Executable call) {
        InternalApiException e = assertThrows(InternalApiException.class, call);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.id()).as(e.getMessage()).isEqualTo(id);
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    }
}
