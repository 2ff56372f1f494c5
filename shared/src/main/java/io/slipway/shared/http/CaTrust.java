package io.slipway.shared.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one CA-trust builder of the tree. The platform's CA ({@code ca.pem}) is trusted with hostname verification
 * on and its name constraints enforced: the JDK ignores the name constraints written in a trust anchor's own
 * certificate (and refuses them as a separate {@code TrustAnchor} parameter), so after the JDK's own checks every
 * certificate the CA vouches for is checked against the CA's permitted subtrees with BouncyCastle's validator
 * ({@link ConstrainedTrustManager}): the platform's Java clients, like OpenSSL, GnuTLS and node, accept from this
 * CA only certificates for the platform's own names.
 * <p>{@link #sslContext} trusts the platform's CA only (the launcher); {@link #sslContextWithJdkCas} also the
 * JDK's CAs, for components that fetch presigned URLs of a public object store with the same client.
 */
public final class CaTrust {
    private CaTrust() {}

    /** Exactly the platform's CA, constrained. */
    public static SSLContext sslContext(Path caPem) {
        return context(trustManagers(caPem), caPem);
    }

    /** The platform's CA, constrained, or else the JDK's own CAs. */
    public static SSLContext sslContextWithJdkCas(Path caPem) {
        return context(trustManagersWithJdkCas(caPem), caPem);
    }

    public static TrustManager[] trustManagers(Path caPem) {
        return new TrustManager[] {constrained(caPem)};
    }

    public static TrustManager[] trustManagersWithJdkCas(Path caPem) {
        ConstrainedTrustManager platform = constrained(caPem);
        try {
            return new TrustManager[] {new EitherTrustManager(platform, jdkManager(null))};
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the JDK's CA certificates: " + e.getMessage(), e);
        }
    }

    private static ConstrainedTrustManager constrained(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<X509Certificate> cas = new ArrayList<>();
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("slipway-ca-" + i++, c);
                cas.add((X509Certificate) c);
            }
            if (cas.isEmpty()) throw new IllegalArgumentException("cannot use CA file " + caPem + ": no certificate in it");
            return new ConstrainedTrustManager(jdkManager(trust), cas);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA file " + caPem + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's trust manager over {@code store} (null: the JDK's own CAs). */
    private static X509ExtendedTrustManager jdkManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) return x;
        }
        throw new IllegalStateException("no X509ExtendedTrustManager in the JDK");
    }

    private static SSLContext context(TrustManager[] managers, Path caPem) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, managers, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use CA file " + caPem + ": " + e.getMessage(), e);
        }
    }
}
