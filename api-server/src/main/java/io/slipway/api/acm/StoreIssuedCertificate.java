package io.slipway.api.acm;

import io.slipway.api.sniendpoints.AcmCertificates;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps a certificate the ACME server just issued, unless ACM was disabled (or the domain removed) while the
 * order ran: the domain's ACM row is locked first, so a concurrent {@code certs:auto:disable} either ran before
 * (no row: the certificate is dropped) or waits and then removes this certificate with the others.
 */
@Service
public class StoreIssuedCertificate {
    private final JdbcTemplate jdbc;
    private final AcmCertificates certificates;
    private final AcmDomains domains;
    private final AcmeSettings settings;

    public StoreIssuedCertificate(JdbcTemplate jdbc, AcmCertificates certificates, AcmDomains domains,
                                  AcmeSettings settings) {
        this.jdbc = jdbc;
        this.certificates = certificates;
        this.domains = domains;
        this.settings = settings;
    }

    /** The certificate's expiry, or null when it was dropped. */
    @Transactional
    public Instant store(AcmDomains.Due due, AcmeIssuer.Issued issued) {
        boolean wanted = !jdbc.queryForList("SELECT s.domain_id FROM acm_domains s JOIN apps a ON a.id = s.app_id"
                + " WHERE s.domain_id = ? AND a.acm FOR UPDATE OF s", Object.class, due.domainId()).isEmpty();
        if (!wanted) return null;
        Instant expires = certificates.store(due.domainId(), due.appName(), issued.chainPem(), issued.privateKeyPem());
        domains.issued(due.domainId(), renewAt(expires));
        return expires;
    }

    /** The renew-before window ahead of expiry; never sooner than an hour (a window longer than the validity). */
    private Instant renewAt(Instant expires) {
        Instant at = expires.minus(settings.renewBefore());
        Instant floor = Instant.now().plus(Duration.ofHours(1));
        return at.isBefore(floor) ? floor : at;
    }
}
