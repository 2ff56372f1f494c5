package io.slipway.api.acm;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import io.slipway.api.sniendpoints.AcmCertificates;
import jakarta.persistence.EntityManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku certs:auto:disable} ({@code DELETE /apps/{app}/acm}): no more orders or renewals, and, as on
 * Heroku, the ACM certificates are removed (the CLI warns of this); the user's own certificates stay. Allowed
 * without a configured ACME directory, so an operator who removes it leaves no app stuck.
 */
@Service
public class DisableAcm {
    private final AppAccess access;
    private final AcmDomains domains;
    private final AcmeChallenges challenges;
    private final AcmCertificates certificates;
    private final JdbcTemplate jdbc;
    private final EntityManager em;

    public DisableAcm(AppAccess access, AcmDomains domains, AcmeChallenges challenges, AcmCertificates certificates,
                      JdbcTemplate jdbc,
                      EntityManager em) {
        this.access = access;
        this.domains = domains;
        this.challenges = challenges;
        this.certificates = certificates;
        this.jdbc = jdbc;
        this.em = em;
    }

    @Transactional
    public App disable(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        jdbc.update("UPDATE apps SET acm = false WHERE id = ?", app.id());
        domains.forget(app.id());
        challenges.removeForApp(app.id());
        certificates.removeAll(app.id(), app.name());
        em.refresh(app); // the acm column is written here by SQL only
        return app;
    }
}
