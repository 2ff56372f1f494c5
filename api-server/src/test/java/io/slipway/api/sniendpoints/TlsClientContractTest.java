package io.slipway.api.sniendpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.internalapi.InternalTransport;
import io.slipway.shared.testing.TestPki;
import io.slipway.shared.tls.TlsClient;
import io.slipway.shared.tls.TlsEndpoint;
import java.io.StringReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The router's certificate client ({@link TlsClient}) against the real api-server: one app's SNI endpoints and the
 * full snapshot parse into {@link TlsEndpoint} (hostnames lower-cased, the key as PKCS#8); an app without
 * certificates or an unknown app reads as none; refusals surface as {@link InternalApiException} with the Heroku
 * id, and a refused token is never taken for "this api-server has no TLS endpoints".
 */
class TlsClientContractTest extends ApiTest {

    private TlsClient client(String token) {
        return new TlsClient(new InternalTransport(URI.create(internalBaseUrl()), token, HTTP));
    }

    private String createApp(User user) {
        String name = uniqueAppName("tlsc");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    private UUID appId(User user, String app) {
        return UUID.fromString(call("GET", "/apps/" + app).as(user).send().expect(200).json().path("id").asText());
    }

    @Test
    void oneAppsEndpointsAndTheSnapshotParseIntoRecords() throws Exception {
        User alice = newUser();
        String app = createApp(alice);
        String zone = UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        TestPki.Issued ca = TestPki.ca("Root " + zone);
        TestPki.Issued leaf = TestPki.leaf(ca, "www." + zone);
        JsonNode created = call("POST", "/apps/" + app + "/sni-endpoints").as(alice)
                .json(SniEndpointsApiTest.body(Map.of("certificate_chain", leaf.certPem() + ca.certPem(),
                        "private_key", leaf.traditionalKeyPem()))).send().expect(201).json();
        String name = created.path("name").asText();
        call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"WWW." + zone + "\",\"sni_endpoint\":null}").send().expect(201);
        call("PATCH", "/apps/" + app + "/domains/www." + zone).as(alice)
                .json("{\"sni_endpoint\":\"" + name + "\"}").send().expect(200);
        UUID appId = appId(alice, app);
        // another tenant's app, with a domain but no certificate: nothing of alice's is served for it
        User bob = newUser();
        String bobApp = createApp(bob);
        call("POST", "/apps/" + bobApp + "/domains").as(bob)
                .json("{\"hostname\":\"shop." + zone + "\",\"sni_endpoint\":null}").send().expect(201);
        UUID bobAppId = appId(bob, bobApp);

        TlsClient router = client(token(ComponentRole.ROUTER));
        TlsEndpoint endpoint = router.one(appId).get(0);
        assertThat(router.one(appId)).hasSize(1);
        assertThat(endpoint.id()).isEqualTo(created.path("id").asText());
        assertThat(endpoint.name()).isEqualTo(name);
        assertThat(endpoint.hostnames()).containsExactly("www." + zone);
        assertThat(endpoint.certificateChain()).startsWith("-----BEGIN CERTIFICATE-----");
        try (PEMParser p = new PEMParser(new StringReader(endpoint.privateKey()))) {
            assertThat(((PrivateKeyInfo) p.readObject()).getEncoded()).isEqualTo(leaf.keys().getPrivate().getEncoded());
        }
        assertThat(endpoint.updatedAt()).isNotBlank().isNotEqualTo("null");
        assertThat(endpoint.toString()).doesNotContain("PRIVATE KEY"); // records end up in logs

        TlsClient.Snapshot all = router.all();
        assertThat(all.seq()).isNotNull().isPositive();
        assertThat(all.apps()).containsKey(appId).doesNotContainKey(bobAppId);
        assertThat(all.apps().get(appId)).extracting(TlsEndpoint::version).containsExactly(endpoint.version());

        assertThat(router.one(bobAppId)).isEmpty(); // an app without certificates
        assertThat(router.one(UUID.randomUUID())).isEmpty(); // an unknown app (404)

        call("DELETE", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expect(200);
        assertThat(router.one(appId)).isEmpty();
    }

    @Test
    void refusalsSurfaceAsTheOneErrorType() {
        UUID someApp = UUID.randomUUID();
        expectError(401, "unauthorized", () -> client("not-a-token").all());
        expectError(401, "unauthorized", () -> client("not-a-token").one(someApp));
        // the endpoints carry every app's private keys: no other component may read them
        for (ComponentRole role : List.of(ComponentRole.BUILD_WORKER, ComponentRole.GIT_GATEWAY, ComponentRole.OPERATOR)) {
            expectError(403, "forbidden", () -> client(token(role)).all());
            expectError(403, "forbidden", () -> client(token(role)).one(someApp));
        }
        expectError(403, "forbidden", () -> client(agentToken(newAgentId())).all());
    }

    private static void expectError(int status, String id, Executable call) {
        InternalApiException e = assertThrows(InternalApiException.class, call);
        assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
        assertThat(e.id()).as(e.getMessage()).isEqualTo(id);
    }
}
