package io.slipway.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;

/**
 * An SSLContext that trusts exactly the platform's CA ({@code ca.pem}): hostname verification stays on. The JDK
 * ignores the name constraints written in a trust anchor's own certificate (and refuses them as a separate
 * {@code TrustAnchor} parameter), so after the JDK's own checks every certificate the CA vouches for is checked
 * against the CA's permitted subtrees with BouncyCastle's validator: the platform's Java clients, like OpenSSL,
 * GnuTLS and node, accept from this CA only certificates for the platform's own names.
 */
public final class CaTrust {
    private CaTrust() {}

    public static SSLContext sslContext(Path caPem) {
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trustManagers(caPem), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not load the CA certificate " + caPem, e);
        }
    }

    static TrustManager[] trustManagers(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            List<X509Certificate> cas = new ArrayList<>();
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("slipway-ca-" + i++, c);
                cas.add((X509Certificate) c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            X509ExtendedTrustManager jdk = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) jdk = x;
            }
            if (jdk == null) throw new IllegalStateException("no X509ExtendedTrustManager in the JDK");
            return new TrustManager[] {new Constrained(jdk, cas)};
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("could not load the CA certificate " + caPem, e);
        }
    }

    /** The JDK's checks, then the CA's name constraints on every certificate of the chain below it. */
    private static final class Constrained extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager jdk;
        private final List<X509Certificate> cas;

        Constrained(X509ExtendedTrustManager jdk, List<X509Certificate> cas) {
            this.jdk = jdk;
            this.cas = cas;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            jdk.checkServerTrusted(chain, authType, socket);
            constrain(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            jdk.checkServerTrusted(chain, authType, engine);
            constrain(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkServerTrusted(chain, authType);
            constrain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            jdk.checkClientTrusted(chain, authType, socket);
            constrain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            jdk.checkClientTrusted(chain, authType, engine);
            constrain(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            jdk.checkClientTrusted(chain, authType);
            constrain(chain);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return jdk.getAcceptedIssuers();
        }

        private void constrain(X509Certificate[] chain) throws CertificateException {
            PKIXNameConstraintValidator validator = new PKIXNameConstraintValidator();
            for (X509Certificate ca : cas) {
                byte[] ext = ca.getExtensionValue(Extension.nameConstraints.getId());
                if (ext == null) continue;
                NameConstraints nc = NameConstraints.getInstance(ASN1OctetString.getInstance(ext).getOctets());
                if (nc.getPermittedSubtrees() != null) validator.intersectPermittedSubtree(nc.getPermittedSubtrees());
                if (nc.getExcludedSubtrees() != null) {
                    for (var excluded : nc.getExcludedSubtrees()) validator.addExcludedSubtree(excluded);
                }
            }
            for (X509Certificate cert : chain) {
                if (cas.contains(cert)) continue;
                byte[] san = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
                if (san == null) throw new CertificateException("certificate without subject alternative names: "
                        + cert.getSubjectX500Principal());
                for (GeneralName name : GeneralNames.getInstance(ASN1OctetString.getInstance(san).getOctets()).getNames()) {
                    try {
                        validator.checkPermitted(name);
                        validator.checkExcluded(name);
                    } catch (NameConstraintValidatorException e) {
                        throw new CertificateException("the platform's CA may not vouch for " + name + ": "
                                + e.getMessage(), e);
                    }
                }
            }
        }
    }
}
