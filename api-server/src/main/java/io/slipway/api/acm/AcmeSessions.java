package io.slipway.api.acm;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.springframework.stereotype.Component;

/**
 * acme4j sessions on the configured directory. With a CA file, the ACME server's HTTPS is trusted if it chains to
 * that CA or to a root of the JDK's store (a private ACME server, or pebble in the tests); without, the JDK's.
 */
@Component
public class AcmeSessions {
    private final AcmeSettings settings;
    private final SSLContext ssl;

    public AcmeSessions(AcmeSettings settings) {
        this.settings = settings;
        this.ssl = settings.caFile() == null ? null : trusting(settings);
    }

    public Session open() {
        if (!settings.enabled()) throw new AcmUnavailable();
        return new Session(URI.create(settings.directoryUrl()), new GenericAcmeProvider() {
            @Override
            protected HttpConnector createHttpConnector(NetworkSettings network) {
                return new HttpConnector(network) {
                    @Override
                    public HttpClient.Builder createClientBuilder() {
                        HttpClient.Builder b = super.createClientBuilder();
                        return ssl == null ? b : b.sslContext(ssl);
                    }
                };
            }
        });
    }

    private static SSLContext trusting(AcmeSettings settings) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> extra = new ArrayList<>();
            try (InputStream in = Files.newInputStream(settings.caFile())) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) extra.add((X509Certificate) c);
            }
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            for (var tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) extra.add(c);
                }
            }
            int i = 0;
            for (X509Certificate c : extra) store.setCertificateEntry("ca-" + i++, c);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read SLIPWAY_ACME_CA_FILE " + settings.caFile() + ": " + e.getMessage(), e);
        }
    }
}
