package io.slipway.api.rendezvous;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.ClassPathResource;

/** A server {@link SSLContext} from PEM files: a certificate chain and its (unencrypted) private key. */
final class PemKeyStore {
    private PemKeyStore() {}

    static SSLContext serverContext(String certificateLocation, String keyLocation) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = certificates(certificateLocation);
        PrivateKey key = load(keyLocation).getPrivateKey();
        if (key == null) throw new IOException("no unencrypted private key in " + keyLocation);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("rendezvous", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** The certificates of a PEM file, in order; fails when there is none. */
    static List<X509Certificate> certificates(String location) throws IOException {
        List<X509Certificate> out = load(location).getCertificates();
        if (out == null || out.isEmpty()) throw new IOException("no certificate in " + location);
        return out;
    }

    /**
     * A client {@link SSLContext} trusting exactly {@code trusted} (as anchors: a leaf listed here is trusted
     * as it is). Used between replicas, which reach each other by internal addresses the certificate need not
     * name, so the peer is identified by its certificate, not by a host name.
     */
    static SSLContext clientContext(List<X509Certificate> trusted) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.size(); i++) store.setCertificateEntry("trusted-" + i, trusted.get(i));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /**
     * Read as Spring Boot reads the same files for the API's own TLS ({@code server.ssl.certificate}), with the
     * JDK alone: every key form Tomcat takes (PKCS#8, PKCS#1, SEC1) works here too. Why not BouncyCastle, as
     * before: building its provider was a twentieth of an api-server's start-up (docs/benchmarks.md).
     * Location forms as Spring's: {@code classpath:x.pem}, {@code file:/x.pem}, or a plain path.
     */
    private static PemContent load(String location) throws IOException {
        try (InputStream in = location.startsWith("classpath:")
                ? new ClassPathResource(location.substring("classpath:".length())).getInputStream()
                : Files.newInputStream(Path.of(location.startsWith("file:") ? location.substring(5) : location))) {
            return PemContent.load(in);
        }
    }
}
