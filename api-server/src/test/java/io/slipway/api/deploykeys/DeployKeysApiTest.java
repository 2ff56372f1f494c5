package io.slipway.api.deploykeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.web.ComponentRole;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Deploy keys (issue 11): an SSH key that may push to one app and nothing else. The attack cases: the key used
 * on another app, a key registered twice (as an account key and a deploy key, or on two apps), a stranger
 * managing another owner's keys.
 */
class DeployKeysApiTest extends ApiTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private String createApp(User owner) {
        String name = uniqueAppName("dk");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    /** A fresh ed25519 public key line from the real ssh-keygen. */
    private String newKey(String comment) {
        Path key = dir.resolve("k" + System.nanoTime());
        try {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f",
                    key.toString()).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            return Files.readString(Path.of(key + ".pub"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Response add(User user, String app, String publicKey, String name) {
        Map<String, Object> body = new HashMap<>();
        body.put("public_key", publicKey);
        if (name != null) body.put("name", name);
        return call("POST", "/apps/" + app + "/deploy-keys").as(user).json(JSON.writeValueAsString(body)).send();
    }

    private Response authorize(String app, String action, String fingerprint) {
        return asComponent(ComponentRole.GIT_GATEWAY, "POST", "/internal/git/authorize")
                .json(JSON.writeValueAsString(Map.of("app", app, "action", action, "ssh_fingerprint", fingerprint)))
                .send();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void anOwnerAddsListsFindsAndRemovesADeployKey() {
        User alice = newUser();
        String app = createApp(alice);
        String pub = newKey("ci-server");
        JsonNode key = add(alice, app, pub, null).expect(201).json();
        assertThat(key.path("name").asText()).isEqualTo("ci-server");
        assertThat(key.path("public_key").asText()).isEqualTo(pub.strip());
        assertThat(key.path("fingerprint").asText()).startsWith("SHA256:");
        assertThat(key.path("app").path("name").asText()).isEqualTo(app);

        JsonNode named = add(alice, app, newKey("x y"), "contractor-1").expect(201).json();
        assertThat(named.path("name").asText()).isEqualTo("contractor-1");
        JsonNode list = call("GET", "/apps/" + app + "/deploy-keys").as(alice).send().expect(200).json();
        assertThat(list.size()).isEqualTo(2);
        call("GET", "/apps/" + app + "/deploy-keys/" + enc(key.path("fingerprint").asText())).as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/deploy-keys/contractor-1").as(alice).send().expect(200);

        call("DELETE", "/apps/" + app + "/deploy-keys/" + key.path("id").asText()).as(alice).send().expect(200);
        call("GET", "/apps/" + app + "/deploy-keys/" + key.path("id").asText()).as(alice).send()
                .expectError(404, "not_found");
        // removed: the gateway no longer knows it, and a push with it is unauthorized
        asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/keys/" + enc(key.path("fingerprint").asText())).send()
                .expectError(404, "not_found");
        authorize(app, "push", key.path("fingerprint").asText()).expectError(401, "unauthorized");
    }

    @Test
    void aDeployKeyOpensItsAppOnlyAndPushesAsTheOwner() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        String alicesOther = createApp(alice);
        String bobs = createApp(bob);
        String fingerprint = add(alice, app, newKey("ci"), null).expect(201).json().path("fingerprint").asText();

        JsonNode known = asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/keys/" + enc(fingerprint)).send()
                .expect(200).json();
        assertThat(known.path("account_id").isNull()).isTrue();

        JsonNode granted = authorize(app, "push", fingerprint).expect(200).json();
        assertThat(granted.path("app_name").asText()).isEqualTo(app);
        assertThat(granted.path("account_id").asText()).isEqualTo(alice.id().toString());
        String token = granted.path("push_token").asText();
        assertThat(token).startsWith("HRKU-");
        Response auth = call("GET", "/oauth/authorizations/" + granted.path("push_token_id").asText()).as(alice).send()
                .expect(200);
        assertThat(auth.json().path("description").asText()).isEqualTo("git push " + app + " (deploy key ci)");
        authorize(app, "fetch", fingerprint).expect(200);

        // every other app, the owner's own included, answers like a missing one
        Response other = authorize(alicesOther, "push", fingerprint).expectError(404, "not_found");
        assertThat(other.json().path("message").asText()).isEqualTo("Couldn't find that app.");
        authorize(bobs, "push", fingerprint).expectError(404, "not_found");
        authorize(bobs, "fetch", fingerprint).expectError(404, "not_found");
        authorize("no-such-app-" + System.nanoTime() % 100000, "push", fingerprint).expectError(404, "not_found");
    }

    @Test
    void aKeyNamesOneHolder() {
        User alice = newUser();
        User bob = newUser();
        String app = createApp(alice);
        String bobsApp = createApp(bob);
        String pub = newKey("laptop");
        // an account's key cannot become a deploy key, and the other way round
        call("POST", "/account/keys").as(alice).json(JSON.writeValueAsString(Map.of("public_key", pub))).send().expect(201);
        add(alice, app, pub, null).expectError(409, "conflict");
        String ci = newKey("ci");
        add(alice, app, ci, null).expect(201);
        Response asAccountKey = call("POST", "/account/keys").as(bob).json(JSON.writeValueAsString(Map.of("public_key", ci)))
                .send().expectError(409, "conflict");
        assertThat(asAccountKey.body()).doesNotContain(app);
        // nor can one key serve two apps
        add(bob, bobsApp, ci, null).expectError(409, "conflict");
        add(alice, app, newKey("ci"), "ci").expectError(409, "conflict"); // a name is used once per app
        assertThat(call("GET", "/apps/" + bobsApp + "/deploy-keys").as(bob).send().expect(200).json().size()).isZero();
    }

    @Test
    void collaboratorsManageThemAndStrangersSeeNothing() {
        User alice = newUser();
        User bob = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":\"" + bob.email() + "\"}").send()
                .expect(201);
        String id = add(bob, app, newKey("bobs-ci"), null).expect(201).json().path("id").asText();
        assertThat(call("GET", "/apps/" + app + "/deploy-keys").as(alice).send().expect(200).json().size()).isEqualTo(1);

        add(mallory, app, newKey("evil"), null).expectError(404, "not_found");
        call("GET", "/apps/" + app + "/deploy-keys").as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/deploy-keys/" + id).as(mallory).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/deploy-keys/" + id).as(mallory).send().expectError(404, "not_found");
        // a key id of another app is not found through this one
        String malloryApp = createApp(mallory);
        call("DELETE", "/apps/" + malloryApp + "/deploy-keys/" + id).as(mallory).send().expectError(404, "not_found");
        call("GET", "/apps/" + app + "/deploy-keys/" + id).as(alice).send().expect(200);
    }

    @Test
    void badInputIsRefusedClearly() {
        User alice = newUser();
        String app = createApp(alice);
        for (String bad : List.of("", "not a key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA x")) {
            add(alice, app, bad, null).expectError(422, "invalid_params");
        }
        Response name = add(alice, app, newKey("c"), "../../etc").expectError(422, "invalid_params");
        assertThat(name.json().path("message").asText()).contains("name");
        call("POST", "/apps/" + app + "/deploy-keys").as(alice).json("{}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/deploy-keys").as(alice).json("{").send().expectError(400, "bad_request");
        assertThat(call("GET", "/apps/" + app + "/deploy-keys").as(alice).send().expect(200).json().size()).isZero();
    }

    @Test
    void destroyingTheAppRemovesItsKeys() {
        User alice = newUser();
        String app = createApp(alice);
        String fingerprint = add(alice, app, newKey("ci"), null).expect(201).json().path("fingerprint").asText();
        call("DELETE", "/apps/" + app).as(alice).send().expect(200);
        asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/keys/" + enc(fingerprint)).send()
                .expectError(404, "not_found");
    }
}
