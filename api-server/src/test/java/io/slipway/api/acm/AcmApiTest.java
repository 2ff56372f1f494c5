package io.slipway.api.acm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.web.ComponentRole;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * ACM's API against real PostgreSQL, on an api-server with no ACME directory configured: the clear refusal,
 * disable still allowed, the domains' {@code acm_status}, and the router's challenge endpoint answering a token
 * only for its own host and only to the router. Issuance itself is tested with pebble in AcmCliAcceptanceTest.
 */
class AcmApiTest extends ApiTest {
    @Autowired
    private JdbcTemplate jdbc;
    @Autowired
    private AcmDomains acmDomains;
    @Autowired
    private AcmeAccountKeys accountKeys;
    @Autowired
    private io.slipway.api.secrets.ReencryptConfigVars reencrypt;

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void withoutAnAcmeDirectoryEnableAndRefreshAnswerAClearErrorAndDisableWorks() {
        User alice = newUser();
        String app = uniqueAppName("acm");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        assertThat(call("POST", "/apps/" + app + "/acm").as(alice).json("{}").send().expectError(422, "acm_unavailable")
                .json().path("message").asText()).contains("SLIPWAY_ACME_DIRECTORY_URL");
        call("PATCH", "/apps/" + app + "/acm").as(alice).json("{\"acm_refresh\":true}").send()
                .expectError(422, "acm_unavailable");
        JsonNode disabled = call("DELETE", "/apps/" + app + "/acm").as(alice).send().expect(200).json();
        assertThat(disabled.path("name").asText()).isEqualTo(app);
        assertThat(disabled.path("acm").asBoolean(true)).isFalse();
        // another tenant cannot even see the app
        call("DELETE", "/apps/" + app + "/acm").as(newUser()).send().expectError(404, "not_found");
    }

    @Test
    void domainsCarryTheirAcmStatusAndReason() {
        User alice = newUser();
        String app = uniqueAppName("acm");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        String host = "www-" + tag() + ".example.test";
        JsonNode domain = call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"" + host + "\",\"sni_endpoint\":null}").send().expect(201).json();
        UUID domainId = UUID.fromString(domain.path("id").asText());
        UUID appId = UUID.fromString(domain.path("app").path("id").asText());
        assertThat(domain.path("acm_status").isNull()).isTrue();
        jdbc.update("INSERT INTO acm_domains (domain_id, app_id, status, status_reason, next_attempt_at, updated_at)"
                + " VALUES (?, ?, 'failing', 'could not resolve', now() + interval '1 day', now())", domainId, appId);
        JsonNode listed = call("GET", "/apps/" + app + "/domains").as(alice).send().expect(200).json();
        JsonNode row = null;
        for (JsonNode d : listed) if (host.equals(d.path("hostname").asText())) row = d;
        assertThat(row).isNotNull();
        assertThat(row.path("acm_status").asText()).isEqualTo("failing");
        assertThat(row.path("acm_status_reason").asText()).isEqualTo("could not resolve");
        assertThat(call("GET", "/apps/" + app + "/domains/" + host).as(alice).send().expect(200).json()
                .path("acm_status").asText()).isEqualTo("failing");
    }

    @Test
    void theChallengeEndpointAnswersATokenOnlyForItsHostAndOnlyToTheRouter() {
        String token = "tok_" + tag();
        String host = "shop-" + tag() + ".example.test";
        new AcmeChallenges(jdbc).put(token, host, token + ".thumbprint");
        try {
            String path = "/internal/acme-challenges/" + token + "?host=";
            assertThat(asComponent(ComponentRole.ROUTER, "GET", path + host).send().expect(200).body())
                    .isEqualTo(token + ".thumbprint");
            assertThat(asComponent(ComponentRole.ROUTER, "GET", path + host.toUpperCase()).send().expect(200).body())
                    .isEqualTo(token + ".thumbprint");
            // another tenant's hostname cannot read it
            asComponent(ComponentRole.ROUTER, "GET", path + "evil-" + tag() + ".example.test").send()
                    .expectError(404, "not_found");
            asComponent(ComponentRole.ROUTER, "GET", "/internal/acme-challenges/other" + token + "?host=" + host).send()
                    .expectError(404, "not_found");
            for (ComponentRole role : List.of(ComponentRole.BUILD_WORKER, ComponentRole.GIT_GATEWAY, ComponentRole.OPERATOR)) {
                asComponent(role, "GET", path + host).send().expectError(403, "forbidden");
            }
        } finally {
            new AcmeChallenges(jdbc).remove(token);
        }
        asComponent(ComponentRole.ROUTER, "GET", "/internal/acme-challenges/" + token + "?host=" + host).send()
                .expectError(404, "not_found");
    }

    /** Several replicas' schedulers asking at once: exactly one gets the due domain; a failure plans a retry. */
    @Test
    void aDueDomainIsClaimedByOneSchedulerAtATime() throws Exception {
        User alice = newUser();
        String app = uniqueAppName("acm");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        String host = "claim-" + tag() + ".example.test";
        JsonNode domain = call("POST", "/apps/" + app + "/domains").as(alice)
                .json("{\"hostname\":\"" + host + "\",\"sni_endpoint\":null}").send().expect(201).json();
        UUID domainId = UUID.fromString(domain.path("id").asText());
        UUID appId = UUID.fromString(domain.path("app").path("id").asText());
        jdbc.update("UPDATE apps SET acm = true WHERE id = ?", appId);
        jdbc.update("INSERT INTO acm_domains (domain_id, app_id, status, next_attempt_at, updated_at)"
                + " VALUES (?, ?, 'pending', now() - interval '1 second', now())", domainId, appId);
        try {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            var start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<java.util.Optional<AcmDomains.Due>>> claims = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return acmDomains.claim();
                }));
            }
            start.countDown();
            List<AcmDomains.Due> won = new java.util.ArrayList<>();
            for (var c : claims) c.get(30, java.util.concurrent.TimeUnit.SECONDS).ifPresent(won::add);
            pool.shutdown();
            assertThat(won).hasSize(1);
            assertThat(won.get(0).domainId()).isEqualTo(domainId);
            assertThat(won.get(0).hostname()).isEqualTo(host);
            assertThat(acmDomains.claim()).isEmpty(); // leased

            acmDomains.failed(won.get(0), "Validation of " + host + " failed: no route", java.time.Duration.ofMinutes(1));
            AcmDomains.Status status = acmDomains.statuses(appId).get(domainId);
            assertThat(status.status()).isEqualTo(AcmDomains.FAILING);
            assertThat(status.reason()).contains("no route");
            assertThat(acmDomains.claim()).isEmpty(); // retried later, not now
        } finally {
            jdbc.update("UPDATE apps SET acm = false WHERE id = ?", appId);
            jdbc.update("DELETE FROM acm_domains WHERE domain_id = ?", domainId);
        }
    }

    /** The ACME account key: one per directory, sealed at rest like config vars, re-sealed on key rotation. */
    @Test
    void theAccountKeyIsSealedAtRestAndStable() throws Exception {
        String directory = "https://acme-" + tag() + ".example.test/directory";
        java.security.KeyPair key = accountKeys.forDirectory(directory);
        assertThat(accountKeys.forDirectory(directory).getPublic()).isEqualTo(key.getPublic());
        String column = jdbc.queryForObject("SELECT key_pair FROM acm_accounts WHERE directory_url = ?", String.class,
                directory);
        assertThat(column).startsWith("enc:v1:").doesNotContain("PRIVATE");
        // a row left in clear (as before a key was configured) is sealed again by the startup re-encryption
        String clear = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                java.util.Map.of("key_pair", pem(key)));
        jdbc.update("UPDATE acm_accounts SET key_pair = ? WHERE directory_url = ?", clear, directory);
        reencrypt.run();
        assertThat(jdbc.queryForObject("SELECT key_pair FROM acm_accounts WHERE directory_url = ?", String.class,
                directory)).startsWith("enc:v1:");
        assertThat(accountKeys.forDirectory(directory).getPublic()).isEqualTo(key.getPublic());
    }

    private static String pem(java.security.KeyPair key) throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        org.shredzone.acme4j.util.KeyPairUtils.writeKeyPair(key, out);
        return out.toString();
    }
}
