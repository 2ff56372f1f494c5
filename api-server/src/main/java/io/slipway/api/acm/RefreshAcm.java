package io.slipway.api.acm;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku certs:auto:refresh} ({@code PATCH /apps/{app}/acm {"acm_refresh": true}}): every custom domain of
 * the app is ordered again at once, failed ones included (their backoff is reset); issued certificates are
 * replaced in place by the new ones (a renewal ahead of time).
 */
@Service
public class RefreshAcm {
    private final AppAccess access;
    private final AcmeSettings settings;
    private final AcmDomains domains;

    public RefreshAcm(AppAccess access, AcmeSettings settings, AcmDomains domains) {
        this.access = access;
        this.settings = settings;
        this.domains = domains;
    }

    @Transactional
    public App refresh(Caller caller, String appIdentity) {
        App app = access.visible(caller, appIdentity);
        if (!settings.enabled()) throw new AcmUnavailable();
        if (!app.acm()) throw new AcmNotEnabled(app.name());
        domains.adoptNewDomains();
        domains.refresh(app.id());
        return app;
    }
}
