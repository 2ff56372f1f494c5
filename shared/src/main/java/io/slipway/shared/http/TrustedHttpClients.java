package io.slipway.shared.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Enumeration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.http.HttpClient;

/**
 * HTTP clients for components that call the api-server and presigned storage URLs. An operator (or the launcher,
 * with its self-signed CA) can add a CA file in PEM; its certificates are trusted in addition to the JDK's own, so
 * presigned URLs of a public S3 keep working next to a private api-server certificate.
 */
public final class TrustedHttpClients {
    private TrustedHttpClients() {}

    public static HttpClient create(Path extraCaPemFile) {
        return builder(extraCaPemFile).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** A builder with the connect timeout and the trust of {@link #create}, for a component that tunes the rest. */
    public static HttpClient.Builder builder(Path extraCaPemFile) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (extraCaPemFile != null) builder.sslContext(sslContextTrusting(extraCaPemFile));
        return builder;
    }

    /** An SSL context trusting the JDK's default CAs plus every certificate in the PEM file. */
    public static SSLContext sslContextTrusting(Path pemFile) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            KeyStore jdk = jdkCaStore();
            if (jdk != null) {
                for (Enumeration<String> aliases = jdk.aliases(); aliases.hasMoreElements(); ) {
                    String alias = aliases.nextElement();
                    Certificate cert = jdk.getCertificate(alias);
                    if (cert != null) store.setCertificateEntry("jdk-" + alias, cert);
                }
            }
            Collection<? extends Certificate> extra;
            try (InputStream in = Files.newInputStream(pemFile)) {
                extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (extra.isEmpty()) throw new IllegalArgumentException("no certificate in " + pemFile);
            int i = 0;
            for (Certificate cert : extra) store.setCertificateEntry("extra-" + i++, cert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA file " + pemFile + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore jdkCaStore() throws IOException, GeneralSecurityException {
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        if (!Files.isReadable(cacerts)) return null;
        KeyStore jdk = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(cacerts)) {
            jdk.load(in, null);
        }
        return jdk;
    }
}
