package io.slipway.api.sniendpoints;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.springframework.stereotype.Component;

/**
 * The rules a certificate must pass before the router may serve it. The chain is complete: each certificate is
 * issued (name and signature) by the next, and the last is either self-signed (a root the user included, e.g.
 * their own CA, or a lone self-signed certificate) or issued by a root of the JDK's trust store (the usual
 * public CA chain without its root). Every certificate is in date now. The key signs what the leaf's public key
 * verifies. {@code ca_signed?} is true when the chain ends at a root of the JDK's trust store.
 */
@Component
public class CertificateChains {
    private final List<X509Certificate> trustedRoots;

    public CertificateChains() {
        this.trustedRoots = jdkRoots();
    }

    ValidatedCertificate validate(String chainPem, String keyPem) {
        List<X509Certificate> chain = PemCertificates.parse(chainPem);
        PemPrivateKeys.ParsedKey key = PemPrivateKeys.parse(keyPem);
        Date now = new Date();
        for (X509Certificate c : chain) inDate(c, now);
        boolean caSigned = anchor(chain, true);
        matches(key.key(), chain.get(0));
        if (CertificateNames.of(chain.get(0)).isEmpty()) {
            throw new CertificateRejected("The certificate names no host: it has no DNS subject alternative name and"
                    + " no common name.");
        }
        return new ValidatedCertificate(PemCertificates.write(chain), key.pkcs8Pem(), SslCert.of(chain, caSigned));
    }

    /**
     * A chain the platform's ACME server just issued (fetched over TLS from the configured directory): in date and
     * matching the key like any other, but its root need not be in the JDK's store (a private or test ACME CA).
     */
    ValidatedCertificate acmeIssued(String chainPem, String keyPem) {
        List<X509Certificate> chain = PemCertificates.parse(chainPem);
        PemPrivateKeys.ParsedKey key = PemPrivateKeys.parse(keyPem);
        Date now = new Date();
        for (X509Certificate c : chain) inDate(c, now);
        matches(key.key(), chain.get(0));
        return new ValidatedCertificate(PemCertificates.write(chain), key.pkcs8Pem(),
                SslCert.of(chain, anchor(chain, false)));
    }

    /** The details of a stored (already validated) chain. */
    SslCert details(String storedChainPem) {
        List<X509Certificate> chain = PemCertificates.parse(storedChainPem);
        return SslCert.of(chain, anchor(chain, false));
    }

    static boolean selfSigned(X509Certificate c) {
        return c.getIssuerX500Principal().equals(c.getSubjectX500Principal()) && signedBy(c, c.getPublicKey());
    }

    /** Whether the chain ends at a trusted root; with {@code strict}, refuses a chain that is broken or incomplete. */
    private boolean anchor(List<X509Certificate> chain, boolean strict) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            X509Certificate next = chain.get(i + 1);
            if (!c.getIssuerX500Principal().equals(next.getSubjectX500Principal()) || !signedBy(c, next.getPublicKey())) {
                if (!strict) return false;
                throw new CertificateRejected("The certificate chain is out of order or mixed: certificate " + (i + 1)
                        + " (" + c.getSubjectX500Principal().getName() + ") is not issued by certificate " + (i + 2)
                        + " (" + next.getSubjectX500Principal().getName() + "). Put your certificate first, then"
                        + " each intermediate in order.");
            }
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (selfSigned(last)) return trustedRoots.stream().anyMatch(r -> r.equals(last));
        for (X509Certificate root : trustedRoots) {
            if (root.getSubjectX500Principal().equals(last.getIssuerX500Principal()) && signedBy(last, root.getPublicKey())) {
                return true;
            }
        }
        if (!strict) return false;
        throw new CertificateRejected("The certificate chain is incomplete: the certificate issued by "
                + last.getIssuerX500Principal().getName() + " is missing. Append the intermediate certificate(s)"
                + " after yours (leaf first), up to one issued by a trusted root or your own root.");
    }

    private static void inDate(X509Certificate c, Date now) {
        try {
            c.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new CertificateRejected("The certificate " + c.getSubjectX500Principal().getName() + " expired at "
                    + c.getNotAfter().toInstant() + ".");
        } catch (CertificateNotYetValidException e) {
            throw new CertificateRejected("The certificate " + c.getSubjectX500Principal().getName()
                    + " is not valid yet: it starts at " + c.getNotBefore().toInstant() + ".");
        }
    }

    /** The key signs a random challenge the leaf's public key verifies: any mismatch (other key, other type) fails. */
    private static void matches(PrivateKey key, X509Certificate leaf) {
        PublicKey pub = leaf.getPublicKey();
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        boolean ok = false;
        if (alg != null && pub.getAlgorithm().equals(key.getAlgorithm())) {
            try {
                byte[] challenge = ("slipway " + Instant.now()).getBytes(StandardCharsets.UTF_8);
                Signature s = Signature.getInstance(alg);
                s.initSign(key, new SecureRandom());
                s.update(challenge);
                byte[] sig = s.sign();
                Signature v = Signature.getInstance(alg);
                v.initVerify(pub);
                v.update(challenge);
                ok = v.verify(sig);
            } catch (GeneralSecurityException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new CertificateRejected("The private key does not match the certificate: it is not the key of "
                    + leaf.getSubjectX500Principal().getName() + " (" + pub.getAlgorithm() + " public key; the key given is "
                    + key.getAlgorithm() + ").");
        }
    }

    private static boolean signedBy(X509Certificate c, PublicKey issuerKey) {
        try {
            c.verify(issuerKey);
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static List<X509Certificate> jdkRoots() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) return List.of(x.getAcceptedIssuers());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK's trust store cannot be read", e);
        }
        return List.of();
    }
}
