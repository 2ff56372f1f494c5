package io.slipway.api.sniendpoints;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * What the API shows of a chain ({@code ssl_cert}): the leaf's names, dates, issuer and subject (RFC 2253, as
 * openssl prints them), whether it chains to a root of the JDK's trust store ({@code ca_signed?}) and whether
 * the leaf signed itself ({@code self_signed?}).
 */
public record SslCert(List<String> certDomains, Instant startsAt, Instant expiresAt, String issuer, String subject,
                      boolean caSigned, boolean selfSigned) {

    static SslCert of(List<X509Certificate> chain, boolean caSigned) {
        X509Certificate leaf = chain.get(0);
        return new SslCert(CertificateNames.of(leaf), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
                leaf.getIssuerX500Principal().getName(), leaf.getSubjectX500Principal().getName(), caSigned,
                CertificateChains.selfSigned(leaf));
    }
}
