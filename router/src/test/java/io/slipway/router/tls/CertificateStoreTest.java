package io.slipway.router.tls;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.SslContext;
import io.slipway.router.support.TestCerts;
import io.slipway.shared.tls.TlsEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SNI mapping without sockets: exact names, the default otherwise, one context per endpoint version. */
class CertificateStoreTest {
    @TempDir
    static Path dir;
    static TestCerts certs;
    static SslContext fallback;
    static TestCerts.Issued a;
    static TestCerts.Issued a2;

    @BeforeAll
    static void certs() throws Exception {
        certs = new TestCerts(dir);
        TestCerts.Issued w = certs.issue("wildcard", "*.apps.test");
        fallback = TlsContexts.fromFiles(w.chainFile(), w.keyFile());
        a = certs.issue("a", "a.test", "www.a.test");
        a2 = certs.issue("a2", "a.test", "www.a.test");
    }

    static TlsEndpoint endpoint(TestCerts.Issued c, String updatedAt, String... hosts) {
        return new TlsEndpoint("e-" + c.cn(), c.cn(), List.of(hosts), c.chainPem(), c.keyPem(), updatedAt);
    }

    @Test
    void exactNamesGetTheirContextAndEverythingElseTheDefault() {
        CertificateStore store = new CertificateStore(fallback);
        UUID app = UUID.randomUUID();
        store.put(app, List.of(endpoint(a, "t1", "a.test")));
        SslContext own = store.map("a.test");
        assertNotSame(fallback, own);
        assertSame(own, store.map("A.Test"));
        assertSame(fallback, store.map("www.a.test"), "only the endpoint's own hostnames, no suffix matching");
        assertSame(fallback, store.map("x.apps.test"));
        assertSame(fallback, store.map(null));
        store.put(app, List.of());
        assertSame(fallback, store.map("a.test"), "an app without endpoints falls back");
    }

    @Test
    void aContextIsBuiltOncePerEndpointVersion() {
        CertificateStore store = new CertificateStore(fallback);
        UUID app = UUID.randomUUID();
        store.put(app, List.of(endpoint(a, "t1", "a.test")));
        SslContext first = store.map("a.test");
        store.put(app, List.of(endpoint(a, "t1", "a.test", "www.a.test"))); // a domain added, same certificate
        assertSame(first, store.map("a.test"));
        assertSame(first, store.map("www.a.test"));
        store.replaceAll(Map.of(app, List.of(endpoint(a, "t1", "a.test"))));
        assertSame(first, store.map("a.test"), "a full reload keeps unchanged contexts");
        store.put(app, List.of(new TlsEndpoint("e-a", "a", List.of("a.test"), a2.chainPem(), a2.keyPem(), "t2")));
        assertNotSame(first, store.map("a.test"), "a new version gets a new context");
    }

    @Test
    void aBrokenEndpointIsSkippedNotFatal() {
        CertificateStore store = new CertificateStore(fallback);
        UUID app = UUID.randomUUID();
        TlsEndpoint broken = new TlsEndpoint("e-x", "x", List.of("x.test"), a.chainPem(), a2.keyPem(), "t1");
        store.put(app, List.of(broken, endpoint(a, "t1", "a.test")));
        assertSame(fallback, store.map("x.test"), "a key that does not match its certificate is not served");
        assertNotSame(fallback, store.map("a.test"));
        assertTrue(store.names() == 1);
    }
}
