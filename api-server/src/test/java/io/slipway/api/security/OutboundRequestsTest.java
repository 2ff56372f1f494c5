package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.support.ApiTest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A hostile user points the URLs the platform will use on their behalf (log drains, a build's
 * {@code source_blob.url}) at the platform's inside: its loopback services, cloud metadata, private ranges, in
 * every spelling. Each answers 422 {@code invalid_params} naming the refused address. (Hex forms such as
 * {@code 0x7f.0.0.1} are not even URLs with a host to Java's parser; the shared OutboundPolicyTest covers them.) The one range the tests'
 * operator allows (127.0.0.2) still works, and a drain there receives lines.
 */
class OutboundRequestsTest extends ApiTest {
    private static final String[] INTERNAL_HOSTS = {"127.0.0.1", "169.254.169.254", "10.0.0.1", "192.168.1.10",
            "172.16.0.1", "100.64.0.1", "[::1]", "localhost", "[::ffff:127.0.0.1]", "2130706433", "0177.0.0.1",
            "[fe80::1]", "[fd00::1]", "0.0.0.0"};

    private String newApp(User owner) {
        String name = uniqueAppName("outbound");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return name;
    }

    @Test
    void drainsToInternalAddressesAreRefusedWhenCreated() {
        User mallory = newUser();
        String app = newApp(mallory);
        for (String host : INTERNAL_HOSTS) {
            for (String url : new String[] {"syslog://" + host + ":5432", "syslog+tls://" + host + ":6514",
                    "https://" + host + "/latest/meta-data/", "http://user:pw@" + host + ":5443/internal/snapshot"}) {
                String message = call("POST", "/apps/" + app + "/log-drains").as(mallory)
                        .json("{\"url\":\"" + url + "\"}").send().expectError(422, "invalid_params")
                        .json().path("message").asText();
                assertThat(message).as(url).startsWith("Invalid drain URL: ").containsAnyOf("is refused", "unusual form");
            }
        }
        assertThat(call("GET", "/apps/" + app + "/log-drains").as(mallory).send().expect(200).json().size()).isZero();
    }

    @Test
    void buildsFromInternalSourceUrlsAreRefusedWhenCreated() {
        User mallory = newUser();
        String app = newApp(mallory);
        for (String host : INTERNAL_HOSTS) {
            String url = "http://" + host + ":5443/internal/snapshot";
            String message = call("POST", "/apps/" + app + "/builds").as(mallory)
                    .json("{\"source_blob\":{\"url\":\"" + url + "\"}}").send().expectError(422, "invalid_params")
                    .json().path("message").asText();
            assertThat(message).as(url).startsWith("Invalid `source_blob.url`: ").containsAnyOf("is refused", "unusual form");
        }
    }

    @Test
    void aDrainOnAnAllowedCollectorIsAcceptedAndReceivesLines() throws Exception {
        User alice = newUser();
        String app = newApp(alice);
        try (ServerSocket collector = new ServerSocket(0, 10, InetAddress.getByName(ALLOWED_COLLECTOR_HOST))) {
            collector.setSoTimeout(30_000);
            call("POST", "/apps/" + app + "/log-drains").as(alice)
                    .json("{\"url\":\"syslog://" + ALLOWED_COLLECTOR_HOST + ":" + collector.getLocalPort() + "\"}")
                    .send().expect(201);
            call("PATCH", "/apps/" + app + "/config-vars").as(alice).json("{\"FOO\":\"1\"}").send().expect(200);
            try (Socket s = collector.accept()) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                StringBuilder seen = new StringBuilder();
                while (!seen.toString().contains("Set FOO config vars")) {
                    int c = in.read();
                    assertThat(c).as("the drain connection stays open until the line arrives").isNotNegative();
                    seen.append(new String(new byte[] {(byte) c}, StandardCharsets.ISO_8859_1));
                }
            }
        }
    }
}
