package io.slipway.api.keys;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class SshKeysApiTest extends ApiTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** A fresh key pair from the real ssh-keygen; returns the private key's path ({@code .pub} next to it). */
    private Path keygen(String type, int bits, String comment) {
        Path key = dir.resolve(type + bits + "-" + System.nanoTime());
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", key.toString()));
        if (bits > 0) cmd.addAll(List.of("-b", String.valueOf(bits)));
        run(cmd);
        return key;
    }

    /** What {@code ssh-keygen -l} prints as the fingerprint (second field). */
    private String keygenFingerprint(Path pub, String hash) {
        return run(List.of("ssh-keygen", "-l", "-E", hash, "-f", pub.toString())).split("\\s+")[1];
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String pub(Path key) {
        try {
            return Files.readString(Path.of(key + ".pub"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(String publicKey) {
        return JSON.writeValueAsString(java.util.Map.of("public_key", publicKey));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Response add(User user, String publicKey) {
        return call("POST", "/account/keys").as(user).json(body(publicKey)).send();
    }

    @Test
    void addsKeysOfEverySupportedTypeWithSshKeygensFingerprint() {
        User alice = newUser();
        Object[][] types = {{"ed25519", 0}, {"ecdsa", 256}, {"ecdsa", 384}, {"ecdsa", 521}, {"rsa", 3072}};
        for (Object[] t : types) {
            Path key = keygen((String) t[0], (Integer) t[1], "alice@laptop");
            String file = pub(key);
            assertThat(file).endsWith("\n");
            Response r = add(alice, file).expect(201).matches("key");
            JsonNode json = r.json();
            assertThat(json.path("fingerprint").asText()).as("%s", t[0])
                    .isEqualTo(keygenFingerprint(Path.of(key + ".pub"), "sha256"));
            assertThat(json.path("public_key").asText()).isEqualTo(file.strip());
            assertThat(json.path("comment").asText()).isEqualTo("alice@laptop");
            assertThat(json.path("email").asText()).isEqualTo(alice.email());
        }
        Response list = call("GET", "/account/keys").as(alice).send().expect(200).matches("key");
        assertThat(list.json().size()).isEqualTo(types.length);
    }

    @Test
    void findsAndRemovesAKeyByIdOrFingerprint() {
        User alice = newUser();
        Path key = keygen("ed25519", 0, "alice@laptop");
        JsonNode created = add(alice, pub(key)).expect(201).json();
        String id = created.path("id").asText();
        String sha256 = created.path("fingerprint").asText();
        String md5 = keygenFingerprint(Path.of(key + ".pub"), "md5");
        assertThat(md5).startsWith("MD5:");

        call("GET", "/account/keys/" + id).as(alice).send().expect(200).matches("key");
        Response bySha = call("GET", "/account/keys/" + enc(sha256)).as(alice).send().expect(200).matches("key");
        assertThat(bySha.json().path("id").asText()).isEqualTo(id);
        Response byMd5 = call("GET", "/account/keys/" + enc(md5)).as(alice).send().expect(200);
        assertThat(byMd5.json().path("id").asText()).isEqualTo(id);
        Response byBareMd5 = call("GET", "/account/keys/" + enc(md5.substring(4))).as(alice).send().expect(200);
        assertThat(byBareMd5.json().path("id").asText()).isEqualTo(id);

        call("DELETE", "/account/keys/" + enc(sha256)).as(alice).send().expect(200).matches("key");
        call("GET", "/account/keys/" + id).as(alice).send().expectError(404, "not_found");
        call("DELETE", "/account/keys/" + id).as(alice).send().expectError(404, "not_found");
        assertThat(call("GET", "/account/keys").as(alice).send().expect(200).json().size()).isZero();
    }

    @Test
    void keysOfOtherAccountsAreNotFound() {
        User alice = newUser();
        User bob = newUser();
        JsonNode created = add(alice, pub(keygen("ed25519", 0, "alice@laptop"))).expect(201).json();
        call("GET", "/account/keys/" + created.path("id").asText()).as(bob).send().expectError(404, "not_found");
        call("GET", "/account/keys/" + enc(created.path("fingerprint").asText())).as(bob).send()
                .expectError(404, "not_found");
        call("DELETE", "/account/keys/" + created.path("id").asText()).as(bob).send().expectError(404, "not_found");
        assertThat(call("GET", "/account/keys").as(bob).send().expect(200).json().size()).isZero();
        call("GET", "/account/keys/" + created.path("id").asText()).as(alice).send().expect(200);
    }

    @Test
    void aKeyBelongsToOneAccountOnly() {
        User alice = newUser();
        User bob = newUser();
        String file = pub(keygen("ed25519", 0, "shared@laptop"));
        add(alice, file).expect(201);
        Response again = add(alice, file).expectError(409, "conflict");
        assertThat(again.body()).doesNotContain(alice.email());
        // the same key with another comment is the same key
        String[] parts = file.strip().split(" ");
        add(bob, parts[0] + " " + parts[1] + " bob@desktop\n").expectError(409, "conflict");
        assertThat(call("GET", "/account/keys").as(bob).send().json().size()).isZero();
    }

    @Test
    void refusesWhatIsNotOnePublicKey() {
        User alice = newUser();
        Path ed = keygen("ed25519", 0, "a@b");
        String good = pub(ed);
        String privateKey;
        try {
            privateKey = Files.readString(ed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String weakRsa = pub(keygen("rsa", 1024, "weak@old"));
        String[] parts = good.strip().split(" ");
        String[] bad = {
                "", "   ", "not a key", "ssh-ed25519", "ssh-ed25519 !!!notbase64!!! x",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA x",                   // truncated blob
                "ssh-rsa " + parts[1] + " mislabelled",                      // ed25519 data declared as rsa
                "ssh-dss " + parts[1] + " dsa",
                privateKey,
                good + good,                                                 // two keys
                weakRsa,
                "from=\"10.0.0.1\" " + good,                                 // authorized_keys options
        };
        for (String b : bad) {
            Response r = add(alice, b).expectError(422, "invalid_params");
            assertThat(r.body()).doesNotContain("BEGIN OPENSSH PRIVATE KEY");
        }
        assertThat(add(alice, privateKey).json().path("message").asText()).contains("private key");
        assertThat(add(alice, weakRsa).json().path("message").asText()).contains("2048");
        assertThat(add(alice, good + good).json().path("message").asText()).contains("one key");
        call("POST", "/account/keys").as(alice).json("{\"public_key\":7}").send().expectError(422, "invalid_params");
        call("POST", "/account/keys").as(alice).json("{}").send().expectError(422, "invalid_params");
        call("POST", "/account/keys").as(alice).json("{").send().expectError(400, "bad_request");
        assertThat(call("GET", "/account/keys").as(alice).send().json().size()).isZero();
    }

    @Test
    void theGatewayLooksUpTheOwnerOfAFingerprint() {
        User alice = newUser();
        String fingerprint = add(alice, pub(keygen("ecdsa", 256, "alice@laptop"))).expect(201).json()
                .path("fingerprint").asText();
        Response owner = asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/keys/" + enc(fingerprint)).send()
                .expect(200);
        assertThat(owner.json().path("account_id").asText()).isEqualTo(alice.id().toString());
        assertThat(owner.json().path("email").asText()).isEqualTo(alice.email());

        internalCall("GET", "/internal/keys/" + enc(fingerprint)).send().expectError(401, "unauthorized");
        internalCall("GET", "/internal/keys/" + enc(fingerprint)).as(alice).send().expectError(401, "unauthorized");
        call("GET", "/internal/keys/" + enc(fingerprint)).as(alice).send().expectError(404, "not_found");
        asComponent(ComponentRole.ROUTER, "GET", "/internal/keys/" + enc(fingerprint)).send().expectError(403, "forbidden");
        asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/keys/" + enc("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
                .send().expectError(404, "not_found");

        call("DELETE", "/account/keys/" + enc(fingerprint)).as(alice).send().expect(200);
        asComponent(ComponentRole.GIT_GATEWAY, "GET", "/internal/keys/" + enc(fingerprint)).send()
                .expectError(404, "not_found");
    }
}
