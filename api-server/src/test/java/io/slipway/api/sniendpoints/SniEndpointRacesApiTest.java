package io.slipway.api.sniendpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.Response;
import io.slipway.shared.testing.TestPki;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * A renewal that drops a name and an attach of a domain needing that name, sent at the same moment: whichever
 * goes first, the other is refused, so no domain ever ends up using a certificate that does not cover it.
 */
class SniEndpointRacesApiTest extends ApiTest {
    @Test
    void aRenewalAndAnAttachNeverLeaveAnUncoveredDomain() throws Exception {
        User alice = newUser();
        String app = uniqueAppName("race");
        call("POST", "/apps").as(alice).json("{\"name\":\"" + app + "\"}").send().expect(201);
        String zone = UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        TestPki.Issued ca = TestPki.ca("Race Root " + zone);
        int rounds = 8;
        List<String> broad = new ArrayList<>();
        List<String> narrow = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            TestPki.Issued b = TestPki.leaf(ca, "keep." + zone, "r" + i + "." + zone);
            TestPki.Issued n = TestPki.leaf(ca, "keep." + zone);
            broad.add(SniEndpointsApiTest.body(Map.of("certificate_chain", b.certPem() + ca.certPem(), "private_key", b.traditionalKeyPem())));
            narrow.add(SniEndpointsApiTest.body(Map.of("certificate_chain", n.certPem() + ca.certPem(), "private_key", n.traditionalKeyPem())));
        }
        int attachedWins = 0;
        int renewalWins = 0;
        for (int i = 0; i < rounds; i++) {
            String host = "r" + i + "." + zone;
            String name = call("POST", "/apps/" + app + "/sni-endpoints").as(alice).json(broad.get(i)).send().expect(201)
                    .json().path("name").asText();
            call("POST", "/apps/" + app + "/domains").as(alice).json("{\"hostname\":\"" + host + "\",\"sni_endpoint\":null}")
                    .send().expect(201);
            CyclicBarrier start = new CyclicBarrier(2);
            String narrowBody = narrow.get(i);
            CompletableFuture<Response> renew = CompletableFuture.supplyAsync(() -> {
                await(start);
                return call("PATCH", "/apps/" + app + "/sni-endpoints/" + name).as(alice).json(narrowBody).send();
            });
            CompletableFuture<Response> attach = CompletableFuture.supplyAsync(() -> {
                await(start);
                return call("PATCH", "/apps/" + app + "/domains/" + host).as(alice)
                        .json("{\"sni_endpoint\":\"" + name + "\"}").send();
            });
            int renewed = renew.get().status();
            int attached = attach.get().status();
            assertThat(List.of(renewed, attached)).as("round %d: exactly one wins", i).containsExactlyInAnyOrder(200, 422);
            if (attached == 200) attachedWins++; else renewalWins++;
            // the invariant, read back: the domain's certificate (if any) covers it
            JsonNode domain = call("GET", "/apps/" + app + "/domains/" + host).as(alice).send().expect(200).json();
            JsonNode endpoint = call("GET", "/apps/" + app + "/sni-endpoints/" + name).as(alice).send().expect(200).json();
            List<String> names = new ArrayList<>();
            endpoint.path("ssl_cert").path("cert_domains").forEach(n -> names.add(n.asText()));
            if (!domain.path("sni_endpoint").isNull()) assertThat(names).as("round %d", i).contains(host);
        }
        assertThat(attachedWins + renewalWins).isEqualTo(rounds);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
