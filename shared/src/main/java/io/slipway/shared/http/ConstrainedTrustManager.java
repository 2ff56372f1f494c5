package io.slipway.shared.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.NameConstraintValidatorException;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PKIXNameConstraintValidator;

/** The JDK's checks, then the CA's name constraints on every certificate of the chain below it. */
final class ConstrainedTrustManager extends X509ExtendedTrustManager {
    /** A chain the platform's CA signed, for a name outside its constraints. */
    static final class Violation extends CertificateException {
        Violation(String message) {
            super(message);
        }

        Violation(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final X509ExtendedTrustManager jdk;
    private final List<X509Certificate> cas;

    ConstrainedTrustManager(X509ExtendedTrustManager jdk, List<X509Certificate> cas) {
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
            if (san == null) throw new Violation("certificate without subject alternative names: "
                    + cert.getSubjectX500Principal());
            for (GeneralName name : GeneralNames.getInstance(ASN1OctetString.getInstance(san).getOctets()).getNames()) {
                try {
                    validator.checkPermitted(name);
                    validator.checkExcluded(name);
                } catch (NameConstraintValidatorException e) {
                    throw new Violation("the platform's CA may not vouch for " + name + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
