package io.slipway.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.api.ApiServerApplication;
import io.slipway.api.support.ApiTest;
import io.slipway.api.support.TestCertificates;
import io.slipway.api.support.TestDatabase;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalListener;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * With {@code slipway.internal.certificate} and {@code .private-key}, the internal listener speaks HTTPS only, so
 * component tokens can cross a network the operator does not fully control without being readable on it.
 */
class InternalListenerTlsTest extends ApiTest {
    @Test
    void theInternalListenerServesTlsWithItsOwnCertificate() throws Exception {
        try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(ApiServerApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + TestDatabase.jdbcUrl(),
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--slipway.internal.port=0",
                "--slipway.internal.tokens=" + tokensSetting(),
                "--slipway.secrets.key=" + SECRETS_KEY_1,
                "--slipway.internal.certificate=" + TestCertificates.certificate(),
                "--slipway.internal.private-key=" + TestCertificates.privateKey(),
                "--slipway.rendezvous.port=-1",
                "--slipway.runtime.scheduler-enabled=false")) {
            int port = replica.getBean(InternalListener.class).localPort();
            HttpClient tls = HttpClient.newBuilder().sslContext(TestCertificates.clientContext())
                    .connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> snapshot = tls.send(snapshot("https", port), HttpResponse.BodyHandlers.ofString());
            assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(200);
            assertThat(snapshot.body()).contains("\"seq\"");
            // nothing is served in clear on that port (Tomcat answers 400 "requires TLS", or the connection fails)
            try {
                HttpResponse<String> plain = HTTP.send(snapshot("http", port), HttpResponse.BodyHandlers.ofString());
                assertThat(plain.statusCode()).as(plain.body()).isEqualTo(400);
                assertThat(plain.body()).doesNotContain("\"seq\"");
            } catch (IOException refused) {
                // as good: no answer at all
            }
        }
    }

    private static HttpRequest snapshot(String scheme, int port) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + "/internal/snapshot"))
                .header("Authorization", "Bearer " + token(ComponentRole.ROUTER))
                .timeout(Duration.ofSeconds(30)).build();
    }
}
