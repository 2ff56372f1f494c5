package io.slipway.router;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.router.config.RouterConfig;
import io.slipway.router.support.ApiStub;
import io.slipway.router.support.Await;
import io.slipway.router.support.RouterFixture;
import io.slipway.router.support.TestCerts;
import io.slipway.router.support.Upstream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An api-server without {@code /internal/tls} (404, one that predates certificates) does not stop the router: routes
 * load and follow as before, and HTTPS serves the operator's default certificate for every name.
 */
class TlsWithoutCertificateApiTest {
    @TempDir
    Path dir;

    @Test
    void routesAndTheDefaultCertificateStillServe() throws Exception {
        TestCerts certs = new TestCerts(dir);
        TestCerts.Issued wildcard = certs.issue("wildcard", "*.apps.test");
        try (RouterFixture f = new RouterFixture(new RouterConfig.Tls(0, wildcard.chainFile(), wildcard.keyFile()),
                false)) {
            Upstream web = f.upstream("web");
            UUID id = UUID.randomUUID();
            f.api.putApp(ApiStub.app(id, "web", List.of("web.apps.test"), "up", false, web.port()));
            f.api.emit("sni_endpoint.created", id); // followed: re-reading the app's certificates answers 404
            f.api.emit("routes.changed", id);
            int port = f.router.tlsPort();
            Await.until("the app over HTTPS", () -> TlsTest.run("curl", "-sS", "--http2", "--cacert",
                    certs.caFile().toString(), "--resolve", "web.apps.test:" + port + ":127.0.0.1",
                    "https://web.apps.test:" + port + "/").equals("hello from web"));
            String out = TlsTest.run("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername",
                    "web.apps.test", "-CAfile", certs.caFile().toString());
            assertTrue(out.contains("CN = wildcard") && out.contains("Verify return code: 0 (ok)"), out);
        }
    }
}
