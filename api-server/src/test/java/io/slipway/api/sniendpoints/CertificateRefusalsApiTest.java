package io.slipway.api.sniendpoints;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.shared.testing.TestPki;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every certificate or key the router could not serve correctly is refused with a 422 saying what is wrong,
 * and nothing is stored. Hostile input (garbage, megabytes, long chains) is refused cheaply.
 */
class CertificateRefusalsApiTest extends ApiTest {
    private final String zone = UUID.randomUUID().toString().substring(0, 8) + ".example.test";
    private final TestPki.Issued ca = TestPki.ca("Refusals Root " + zone);

    private Response add(User user, String app, String chain, String key) {
        return call("POST", "/apps/" + app + "/sni-endpoints").as(user)
                .json(SniEndpointsApiTest.body(Map.of("certificate_chain", chain, "private_key", key))).send();
    }

    /** Asserts a 422 whose message contains {@code says} (case-insensitive). */
    private void refused(User user, String app, String chain, String key, String says) {
        Response r = add(user, app, chain, key).expectError(422, "invalid_params");
        assertThat(r.json().path("message").asText()).containsIgnoringCase(says);
    }

    @Test
    void refusesCertificatesTheRouterCouldNotServe() {
        User alice = newUser();
        String app = uniqueAppName("refuse");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        String host = "www." + zone;
        TestPki.Issued good = TestPki.leaf(ca, host);
        Instant now = Instant.now();

        TestPki.Issued expired = TestPki.leaf(ca, TestPki.rsa(2048), now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(1)), host);
        refused(alice, app, expired.certPem() + ca.certPem(), expired.traditionalKeyPem(), "expired");
        TestPki.Issued future = TestPki.leaf(ca, TestPki.rsa(2048), now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(90)), host);
        refused(alice, app, future.certPem() + ca.certPem(), future.traditionalKeyPem(), "not valid yet");

        // the key of another certificate, of another type, too short
        refused(alice, app, good.certPem() + ca.certPem(), TestPki.leaf(ca, host).traditionalKeyPem(), "does not match");
        refused(alice, app, good.certPem() + ca.certPem(), TestPki.pkcs8(TestPki.ec().getPrivate()), "does not match");
        TestPki.Issued weak = TestPki.leaf(ca, TestPki.rsa(1024), now.minusSeconds(60), now.plus(Duration.ofDays(30)), host);
        refused(alice, app, weak.certPem() + ca.certPem(), weak.traditionalKeyPem(), "2048");

        // incomplete and disordered chains
        refused(alice, app, good.certPem(), good.traditionalKeyPem(), "incomplete");
        TestPki.Issued inter = TestPki.intermediate(ca, "Intermediate " + zone);
        TestPki.Issued viaInter = TestPki.leaf(inter, host);
        refused(alice, app, viaInter.certPem() + ca.certPem(), viaInter.traditionalKeyPem(), "not issued by");
        refused(alice, app, viaInter.certPem() + inter.certPem(), viaInter.traditionalKeyPem(), "incomplete");
        refused(alice, app, ca.certPem() + viaInter.certPem(), viaInter.traditionalKeyPem(), "not issued by");
        // ... while the full chain is fine
        add(alice, app, viaInter.certPem() + inter.certPem() + ca.certPem(), viaInter.traditionalKeyPem()).expect(201);

        // garbage, wrong blocks, an encrypted key, swapped files
        refused(alice, app, "hello", good.traditionalKeyPem(), "no certificate");
        refused(alice, app, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
                good.traditionalKeyPem(), "not valid PEM");
        refused(alice, app, "-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n", good.traditionalKeyPem(), "PEM");
        refused(alice, app, good.certPem() + ca.certPem(), "garbage", "no private key");
        refused(alice, app, good.certPem() + ca.certPem(), TestPki.encrypted(good.keys().getPrivate()), "passphrase");
        refused(alice, app, good.certPem() + ca.certPem(), TestPki.encryptedPkcs8(good.keys().getPrivate()), "passphrase");
        refused(alice, app, good.traditionalKeyPem(), good.certPem(), "other than certificates");
        refused(alice, app, good.certPem() + ca.certPem(), good.certPem(), "holds a certificate");
        refused(alice, app, good.certPem() + good.traditionalKeyPem(), good.traditionalKeyPem(), "private key");
        refused(alice, app, "", good.traditionalKeyPem(), "empty");

        // 100 certificates; a chain of 200 KB; a body over the API's limit
        refused(alice, app, good.certPem().repeat(100), good.traditionalKeyPem(), "larger than");
        refused(alice, app, (good.certPem() + ca.certPem()).repeat(6), good.traditionalKeyPem(), "more than 10");
        refused(alice, app, good.certPem() + "x".repeat(200_000), good.traditionalKeyPem(), "larger than");
        add(alice, app, good.certPem() + "x".repeat(2_000_000), good.traditionalKeyPem()).expectError(413, "request_entity_too_large");
        // missing fields and wrong types
        call("POST", "/apps/" + app + "/sni-endpoints").as(alice).json("{}").send().expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/sni-endpoints").as(alice).json("{\"certificate_chain\":1,\"private_key\":2}").send()
                .expectError(422, "invalid_params");
        call("POST", "/apps/" + app + "/sni-endpoints").as(alice).json("{\"certificate_chain\":").send()
                .expectError(400, "bad_request");

        // only the one good chain was stored
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).json()).hasSize(1);
    }
}
