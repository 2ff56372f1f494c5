package io.slipway.api.sniendpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.events.InternalEvents;
import io.slipway.api.secrets.ReencryptConfigVars;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.testing.TestPki;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** SNI endpoints over HTTP against real PostgreSQL: the Heroku shapes, domains pointing at them, events, and the router's view. */
class SniEndpointsApiTest extends ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InternalEvents events = new InternalEvents(path -> asComponent(ComponentRole.ROUTER, "GET", path).send());
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private ReencryptConfigVars reencrypt;

    private String createApp(User user) {
        String name = uniqueAppName("tls");
        call("POST", "/apps").as(user).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    static String body(Map<String, ?> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response addCert(User user, String app, String chain, String key) {
        return call("POST", "/apps/" + app + "/sni-endpoints").as(user)
                .json(body(Map.of("certificate_chain", chain, "private_key", key))).send();
    }

    private Response addDomain(User user, String app, String hostname) {
        return call("POST", "/apps/" + app + "/domains").as(user)
                .json("{\"hostname\":\"" + hostname + "\",\"sni_endpoint\":null}").send().expect(201);
    }

    private Response patchDomain(User user, String app, String domain, String sni) {
        return call("PATCH", "/apps/" + app + "/domains/" + domain).as(user)
                .json(sni == null ? "{\"sni_endpoint\":null}" : "{\"sni_endpoint\":\"" + sni + "\"}").send();
    }

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void addsListsShowsUpdatesAndRemovesACertificateInHerokusShape() {
        User alice = newUser();
        String app = createApp(alice);
        String host = "www-" + tag() + ".example.test";
        TestPki.Issued ca = TestPki.ca("Test Root " + tag());
        TestPki.Issued leaf = TestPki.leaf(ca, host, "api-" + host);

        Response created = addCert(alice, app, leaf.certPem() + ca.certPem(), leaf.traditionalKeyPem()).expect(201);
        JsonNode e = created.json();
        assertThat(created.body()).doesNotContain("PRIVATE KEY");
        assertThat(e.path("name").asText()).matches("^[a-z][a-z0-9-]{2,29}$");
        assertThat(e.path("app").path("name").asText()).isEqualTo(app);
        assertThat(e.path("domains")).isEmpty();
        assertThat(e.path("display_name").isNull()).isTrue();
        JsonNode ssl = e.path("ssl_cert");
        assertThat(List.of(ssl.path("cert_domains").get(0).asText(), ssl.path("cert_domains").get(1).asText()))
                .containsExactly(host, "api-" + host);
        assertThat(ssl.path("subject").asText()).isEqualTo("CN=" + host);
        assertThat(ssl.path("issuer").asText()).isEqualTo(ca.cert().getSubjectX500Principal().getName());
        assertThat(ssl.path("ca_signed?").asBoolean()).isFalse(); // a private root, not in the JDK's trust store
        assertThat(ssl.path("self_signed?").asBoolean()).isFalse();
        assertThat(ssl.path("expires_at").asText()).isEqualTo(leaf.cert().getNotAfter().toInstant().toString());
        assertThat(ssl.path("starts_at").asText()).isEqualTo(leaf.cert().getNotBefore().toInstant().toString());
        assertThat(e.path("certificate_chain").asText()).contains("BEGIN CERTIFICATE");
        created.matches("sni-endpoint");
        String id = e.path("id").asText();
        String name = e.path("name").asText();

        Response list = call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).matches("sni-endpoint");
        assertThat(list.json()).hasSize(1);
        assertThat(list.json().get(0).path("name").asText()).isEqualTo(name);
        assertThat(list.body()).doesNotContain("PRIVATE KEY");
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expect(200).json()
                .path("id").asText()).isEqualTo(id);
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints/" + id).as(alice).send().expect(200).json()
                .path("name").asText()).isEqualTo(name);

        // a renewal: same names, new key (an EC one, PKCS#8 this time)
        TestPki.Issued renewed = TestPki.leaf(ca, TestPki.ec(), java.time.Instant.now().minusSeconds(60),
                java.time.Instant.now().plus(java.time.Duration.ofDays(200)), host, "api-" + host);
        Response updated = call("PATCH", "/apps/" + app + "/sni-endpoints/" + name).as(alice)
                .json(body(Map.of("certificate_chain", renewed.certPem() + ca.certPem(), "private_key", renewed.pkcs8KeyPem())))
                .send().expect(200);
        assertThat(updated.json().path("id").asText()).isEqualTo(id);
        assertThat(updated.json().path("ssl_cert").path("expires_at").asText())
                .isEqualTo(renewed.cert().getNotAfter().toInstant().toString());

        Response removed = call("DELETE", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expect(200);
        assertThat(removed.json().path("id").asText()).isEqualTo(id);
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).json()).isEmpty();
        call("GET", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expectError(404, "not_found");
        call("DELETE", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expectError(404, "not_found");
    }

    @Test
    void aSelfSignedCertificateIsAcceptedAndSaysSo() {
        User alice = newUser();
        String app = createApp(alice);
        TestPki.Issued self = TestPki.selfSigned("self-" + tag() + ".example.test");
        JsonNode ssl = addCert(alice, app, self.certPem(), self.traditionalKeyPem()).expect(201).json().path("ssl_cert");
        assertThat(ssl.path("self_signed?").asBoolean()).isTrue();
        assertThat(ssl.path("ca_signed?").asBoolean()).isFalse();
    }

    @Test
    void domainsPointAtACertificateThatCoversThem() {
        User alice = newUser();
        String app = createApp(alice);
        String zone = tag() + ".example.test";
        TestPki.Issued ca = TestPki.ca("Root " + zone);
        TestPki.Issued wildcard = TestPki.leaf(ca, "*." + zone, zone);
        JsonNode endpoint = addCert(alice, app, wildcard.certPem() + ca.certPem(), wildcard.traditionalKeyPem()).expect(201).json();
        String name = endpoint.path("name").asText();
        String endpointId = endpoint.path("id").asText();
        String www = "www." + zone;
        String domainId = addDomain(alice, app, www).json().path("id").asText();
        addDomain(alice, app, "a.b." + zone);
        addDomain(alice, app, "other-" + zone);

        Response patched = patchDomain(alice, app, www.toUpperCase(), name).expect(200);
        assertThat(patched.json().path("sni_endpoint").path("name").asText()).isEqualTo(name);
        assertThat(patched.json().path("sni_endpoint").path("id").asText()).isEqualTo(endpointId);
        // Heroku's schema declares domain.hostname a URI (see domains/DomainSchema): checked with the http:// form
        var copy = (com.fasterxml.jackson.databind.node.ObjectNode) patched.json().deepCopy();
        copy.put("hostname", "http://" + www);
        io.slipway.api.support.HerokuSchema.assertMatches("domain", copy.toString());
        // the wildcard covers one label only, and not another zone
        assertThat(patchDomain(alice, app, "a.b." + zone, name).expectError(422, "invalid_params").json()
                .path("message").asText()).contains("not valid for a.b." + zone);
        patchDomain(alice, app, "other-" + zone, endpointId).expectError(422, "invalid_params");
        // the default domain keeps the platform's certificate
        patchDomain(alice, app, app + ".localhost", name).expectError(422, "invalid_params");
        patchDomain(alice, app, www, "no-such-cert").expectError(404, "not_found");
        call("PATCH", "/apps/" + app + "/domains/" + www).as(alice).json("{}").send().expectError(422, "invalid_params");

        // every view shows the link: the domain list (sni_endpoint.name, what `heroku domains` prints) and the endpoint's ids
        JsonNode domains = call("GET", "/apps/" + app + "/domains").as(alice).send().expect(200).json();
        for (JsonNode d : domains) {
            String expected = d.path("hostname").asText().equals(www) ? name : null;
            assertThat(d.path("sni_endpoint").isNull() ? null : d.path("sni_endpoint").path("name").asText())
                    .as(d.path("hostname").asText()).isEqualTo(expected);
        }
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().json().path("domains")
                .get(0).asText()).isEqualTo(domainId);

        // a renewal must still cover its domains
        TestPki.Issued narrower = TestPki.leaf(ca, "api." + zone);
        call("PATCH", "/apps/" + app + "/sni-endpoints/" + name).as(alice)
                .json(body(Map.of("certificate_chain", narrower.certPem() + ca.certPem(), "private_key", narrower.traditionalKeyPem())))
                .send().expectError(422, "invalid_params");

        // a domain added with its certificate; one the certificate does not cover adds nothing
        Response withCert = call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"shop." + zone + "\",\"sni_endpoint\":\"" + name + "\"}").send().expect(201);
        assertThat(withCert.json().path("sni_endpoint").path("name").asText()).isEqualTo(name);
        call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"x.y." + zone + "\",\"sni_endpoint\":\"" + name + "\"}").send()
                .expectError(422, "invalid_params");
        call("GET", "/apps/" + app + "/domains/x.y." + zone).as(alice).send().expectError(404, "not_found");

        // detach one, then removing the certificate detaches the rest; the domains stay
        assertThat(patchDomain(alice, app, "shop." + zone, null).expect(200).json().path("sni_endpoint").isNull()).isTrue();
        call("DELETE", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expect(200);
        JsonNode after = call("GET", "/apps/" + app + "/domains/" + www).as(alice).send().expect(200).json();
        assertThat(after.path("sni_endpoint").isNull()).isTrue();
    }

    @Test
    void everyChangeIsAnEventAndTheRouterReadsKeysOnlyThroughItsToken() throws Exception {
        User alice = newUser();
        String app = createApp(alice);
        String zone = tag() + ".example.test";
        TestPki.Issued ca = TestPki.ca("Root " + zone);
        TestPki.Issued leaf = TestPki.leaf(ca, "www." + zone);
        long before = events.lastSeq();
        JsonNode endpoint = addCert(alice, app, leaf.certPem() + ca.certPem(), leaf.traditionalKeyPem()).expect(201).json();
        UUID appId = UUID.fromString(endpoint.path("app").path("id").asText());
        String name = endpoint.path("name").asText();
        addDomain(alice, app, "WWW." + zone);
        patchDomain(alice, app, "www." + zone, name).expect(200);

        // the router's view: hostnames lower case, the chain, the key decrypted as PKCS#8 (given as PKCS#1)
        Response one = asComponent(ComponentRole.ROUTER, "GET", "/internal/tls/" + appId).send().expect(200);
        JsonNode ep = one.json().path("endpoints").get(0);
        assertThat(one.json().path("app_id").asText()).isEqualTo(appId.toString());
        assertThat(ep.path("name").asText()).isEqualTo(name);
        assertThat(ep.path("hostnames")).hasSize(1);
        assertThat(ep.path("hostnames").get(0).asText()).isEqualTo("www." + zone);
        assertThat(ep.path("certificate_chain").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        String key = ep.path("private_key").asText();
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
        try (PEMParser p = new PEMParser(new StringReader(key))) {
            assertThat(((PrivateKeyInfo) p.readObject()).getEncoded()).isEqualTo(leaf.keys().getPrivate().getEncoded());
        }
        assertThat(ep.path("updated_at").asText()).isNotBlank();
        JsonNode all = asComponent(ComponentRole.ROUTER, "GET", "/internal/tls").send().expect(200).json();
        assertThat(all.path("seq").asLong()).isGreaterThan(before);
        assertThat(all.path("apps").findValuesAsText("app_id")).contains(appId.toString());

        // at rest the key is sealed like config vars, and moves with the key ring at startup
        String column = jdbc.queryForObject("SELECT private_key FROM sni_endpoints WHERE app_id = ?", String.class, appId);
        // (not "MII", the DER prefix: random base64 ciphertext holds those three letters about once in a hundred)
        String keyBody = key.lines().filter(l -> !l.startsWith("-----")).skip(1).findFirst().orElseThrow();
        assertThat(column).startsWith("enc:v1:").doesNotContain("PRIVATE").doesNotContain(keyBody.substring(0, 32));
        jdbc.update("UPDATE sni_endpoints SET private_key = ? WHERE app_id = ?",
                "{\"private_key\":" + JSON.writeValueAsString(key) + "}", appId);
        reencrypt.run();
        assertThat(jdbc.queryForObject("SELECT private_key FROM sni_endpoints WHERE app_id = ?", String.class, appId))
                .startsWith("enc:v1:");
        assertThat(asComponent(ComponentRole.ROUTER, "GET", "/internal/tls/" + appId).send().json()
                .path("endpoints").get(0).path("private_key").asText()).isEqualTo(key);

        // no one else reads keys
        for (ComponentRole role : List.of(ComponentRole.BUILD_WORKER, ComponentRole.GIT_GATEWAY, ComponentRole.OPERATOR)) {
            asComponent(role, "GET", "/internal/tls").send().expectError(403, "forbidden");
            asComponent(role, "GET", "/internal/tls/" + appId).send().expectError(403, "forbidden");
        }
        asAgent(newAgentId(), "GET", "/internal/tls").send().expectError(403, "forbidden");
        assertThat(call("GET", "/internal/tls").as(alice).send().status()).isIn(401, 403, 404);

        call("DELETE", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expect(200);
        assertThat(asComponent(ComponentRole.ROUTER, "GET", "/internal/tls/" + appId).send().expect(200).json()
                .path("endpoints")).isEmpty();
        asComponent(ComponentRole.ROUTER, "GET", "/internal/tls/" + UUID.randomUUID()).send().expectError(404, "not_found");
        asComponent(ComponentRole.ROUTER, "GET", "/internal/tls/not-a-uuid").send().expectError(404, "not_found");

        List<String> types = events.forApp(before, appId).stream().map(ev -> ev.path("type").asText()).toList();
        assertThat(types).containsExactly("sni_endpoint.created", "domain.added", "domain.updated", "domain.updated",
                "sni_endpoint.deleted");
        List<JsonNode> evs = events.forApp(before, appId);
        assertThat(evs.get(0).path("payload").path("name").asText()).isEqualTo(name);
        assertThat(evs.get(2).path("payload").path("sni_endpoint").asText()).isEqualTo(name);
        assertThat(evs.get(3).path("payload").path("sni_endpoint").isNull()).isTrue();
        assertThat(evs.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void collaboratorsManageCertificatesAndOthersSeeNothing() {
        User alice = newUser();
        User bob = newUser();
        User mallory = newUser();
        String app = createApp(alice);
        call("POST", "/apps/" + app + "/collaborators").as(alice).json("{\"user\":\"" + bob.email() + "\"}").send().expect(201);
        TestPki.Issued self = TestPki.selfSigned("collab-" + tag() + ".example.test");
        String body = body(Map.of("certificate_chain", self.certPem(), "private_key", self.traditionalKeyPem()));
        String name = addCert(bob, app, self.certPem(), self.traditionalKeyPem()).expect(201).json().path("name").asText();
        String a = "/apps/" + app;
        for (String[] req : List.of(new String[] {"GET", a + "/sni-endpoints", null},
                new String[] {"POST", a + "/sni-endpoints", body},
                new String[] {"GET", a + "/sni-endpoints/" + name, null},
                new String[] {"PATCH", a + "/sni-endpoints/" + name, body},
                new String[] {"DELETE", a + "/sni-endpoints/" + name, null},
                new String[] {"PATCH", a + "/domains/" + app + ".localhost", "{\"sni_endpoint\":\"" + name + "\"}"},
                new String[] {"POST", a + "/acm", "{}"}, new String[] {"DELETE", a + "/acm", null})) {
            var c = call(req[0], req[1]).as(mallory);
            if (req[2] != null) c.json(req[2]);
            c.send().expectError(404, "not_found");
        }
        call("DELETE", a + "/sni-endpoints/" + name).as(bob).send().expect(200);
    }

    @Test
    void automaticCertificatesAnswerAClearError() {
        User alice = newUser();
        String app = createApp(alice);
        // (without an ACME directory; DELETE, disabling, stays allowed: see acm.AcmApiTest)
        for (String method : List.of("POST", "PATCH")) {
            Response r = call(method, "/apps/" + app + "/acm").as(alice).json("{}").send().expectError(422, "acm_unavailable");
            assertThat(r.json().path("message").asText()).contains("certs:add");
        }
        assertThat(call("GET", "/apps/" + app).as(alice).send().json().path("acm").asBoolean()).isFalse();
    }
}
