package io.slipway.api.acm;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import jakarta.persistence.EntityManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku certs:auto:enable} ({@code POST /apps/{app}/acm}): the app's custom domains become pending and
 * the scheduler orders a certificate for each (and for each custom domain added later). A tenant only ever gets
 * certificates for hostnames on its own app, and only once the ACME server reached this platform's router through
 * that hostname (HTTP-01): a domain pointing elsewhere stays {@code failing}.
 */
@Service
public class EnableAcm {
    private final AppAccess access;
    private final AcmeSettings settings;
    private final AcmDomains domains;
    private final JdbcTemplate jdbc;
    private final EntityManager em;

    public EnableAcm(AppAccess access, AcmeSettings settings, AcmDomains domains, JdbcTemplate jdbc,
                     EntityManager em) {
        this.access = access;
        this.settings = settings;
        this.domains = domains;
        this.jdbc = jdbc;
        this.em = em;
    }

    @Transactional
    public App enable(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        if (!settings.enabled()) throw new AcmUnavailable();
        jdbc.update("UPDATE apps SET acm = true WHERE id = ?", app.id());
        domains.adoptNewDomains();
        em.refresh(app); // the acm column is written here by SQL only
        return app;
    }
}
