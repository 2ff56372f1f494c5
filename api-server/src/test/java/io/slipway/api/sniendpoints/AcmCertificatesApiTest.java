package io.slipway.api.sniendpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.acm.AcmDomains;
import io.slipway.api.acm.AcmeIssuer;
import io.slipway.api.acm.StoreIssuedCertificate;
import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import io.slipway.shared.testing.TestPki;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What ACM does with an issued certificate, against real PostgreSQL (the ACME exchange itself is tested with
 * pebble in AcmCliAcceptanceTest): it becomes the domain's SNI endpoint flagged {@code acm}, served to the
 * router; the renewal is planned the renew-before window (30 days) ahead of expiry; a renewal replaces it in
 * place; certs:auto:disable removes it; a certificate whose order finishes after the disable is dropped.
 */
class AcmCertificatesApiTest extends ApiTest {
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private StoreIssuedCertificate storeIssued;

    @Test
    void anIssuedCertificateIsServedRenewedInPlaceAndRemovedOnDisable() {
        User alice = newUser();
        String app = uniqueAppName("acm");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        String host = "www-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        JsonNode domain = call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"" + host + "\",\"sni_endpoint\":null}").send().expect(201).json();
        UUID domainId = UUID.fromString(domain.path("id").asText());
        UUID appId = UUID.fromString(domain.path("app").path("id").asText());
        jdbc.update("UPDATE apps SET acm = true WHERE id = ?", appId);
        jdbc.update("INSERT INTO acm_domains (domain_id, app_id, status, next_attempt_at, lease_until, updated_at)"
                + " VALUES (?, ?, 'pending', now(), now() + interval '5 minutes', now())", domainId, appId);
        AcmDomains.Due due = new AcmDomains.Due(domainId, appId, app, host, 0);
        TestPki.Issued ca = TestPki.ca("ACME Test CA " + host);
        Instant now = Instant.now();
        TestPki.Issued first = TestPki.leaf(ca, TestPki.rsa(2048), now.minusSeconds(60), now.plus(Duration.ofDays(90)), host);

        Instant expires = storeIssued.store(due, new AcmeIssuer.Issued(first.certPem() + ca.certPem(), first.pkcs8KeyPem()));
        assertThat(expires).isEqualTo(first.cert().getNotAfter().toInstant());
        JsonNode endpoints = call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).json();
        assertThat(endpoints).hasSize(1);
        assertThat(endpoints.get(0).path("ssl_cert").path("acm").asBoolean()).isTrue();
        String name = endpoints.get(0).path("name").asText();
        JsonNode shown = call("GET", "/apps/" + app + "/domains/" + host).as(alice).send().expect(200).json();
        assertThat(shown.path("sni_endpoint").path("name").asText()).isEqualTo(name);
        assertThat(shown.path("acm_status").asText()).isEqualTo(AcmDomains.ISSUED);
        Instant renewAt = jdbc.queryForObject("SELECT next_attempt_at FROM acm_domains WHERE domain_id = ?",
                Timestamp.class, domainId).toInstant();
        assertThat(Duration.between(renewAt, expires.minus(Duration.ofDays(30))).abs()).isLessThan(Duration.ofMinutes(1));
        assertThat(routerChain(appId)).isEqualTo(first.certPem() + ca.certPem());

        // a renewal: same endpoint, new chain
        TestPki.Issued second = TestPki.leaf(ca, TestPki.rsa(2048), now.minusSeconds(60), now.plus(Duration.ofDays(80)), host);
        storeIssued.store(due, new AcmeIssuer.Issued(second.certPem() + ca.certPem(), second.pkcs8KeyPem()));
        JsonNode renewed = call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).json();
        assertThat(renewed).hasSize(1);
        assertThat(renewed.get(0).path("name").asText()).isEqualTo(name);
        assertThat(routerChain(appId)).isEqualTo(second.certPem() + ca.certPem());

        // disable: gone, the domain detached; an order finishing afterwards is dropped
        call("DELETE", "/apps/" + app + "/acm").as(alice).send().expect(200);
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).json()).isEmpty();
        JsonNode detached = call("GET", "/apps/" + app + "/domains/" + host).as(alice).send().expect(200).json();
        assertThat(detached.path("sni_endpoint").isNull()).isTrue();
        assertThat(detached.path("acm_status").isNull()).isTrue();
        TestPki.Issued late = TestPki.leaf(ca, host);
        assertThat(storeIssued.store(due, new AcmeIssuer.Issued(late.certPem() + ca.certPem(), late.pkcs8KeyPem()))).isNull();
        assertThat(call("GET", "/apps/" + app + "/sni-endpoints").as(alice).send().expect(200).json()).isEmpty();
    }

    private String routerChain(UUID appId) {
        return asComponent(ComponentRole.ROUTER, "GET", "/internal/tls/" + appId).send().expect(200).json()
                .path("endpoints").get(0).path("certificate_chain").asText();
    }
}
