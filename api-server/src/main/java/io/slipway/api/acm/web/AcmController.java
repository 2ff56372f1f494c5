package io.slipway.api.acm.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.accounts.AccountRepository;
import io.slipway.api.acm.DisableAcm;
import io.slipway.api.acm.EnableAcm;
import io.slipway.api.acm.RefreshAcm;
import io.slipway.api.apps.App;
import io.slipway.api.apps.web.AppJson;
import io.slipway.api.identity.Caller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Heroku ACM: {@code heroku certs:auto:enable} ({@code POST /apps/{app}/acm}), {@code certs:auto:disable}
 * ({@code DELETE}) and {@code certs:auto:refresh} ({@code PATCH}); each answers the app, whose {@code acm} flag
 * {@code certs:auto} reads (the domains' {@code acm_status} comes with the domains API). See docs/certificates.md.
 */
@RestController
public class AcmController {
    private final EnableAcm enable;
    private final DisableAcm disable;
    private final RefreshAcm refresh;
    private final AccountRepository accounts;
    private final ApiServerConfig config;

    public AcmController(EnableAcm enable, DisableAcm disable, RefreshAcm refresh, AccountRepository accounts,
                         ApiServerConfig config) {
        this.enable = enable;
        this.disable = disable;
        this.refresh = refresh;
        this.accounts = accounts;
        this.config = config;
    }

    @PostMapping("/apps/{app}/acm")
    public AppJson enable(Caller caller, @PathVariable String app) {
        return json(enable.enable(caller, app));
    }

    @DeleteMapping("/apps/{app}/acm")
    public AppJson disable(Caller caller, @PathVariable String app) {
        return json(disable.disable(caller, app));
    }

    /** The CLI sends {@code {"acm_refresh": true}}; a refresh is the only thing this PATCH does. */
    @PatchMapping("/apps/{app}/acm")
    public AppJson refresh(Caller caller, @PathVariable String app) {
        return json(refresh.refresh(caller, app));
    }

    private AppJson json(App app) {
        return AppJson.of(app, accounts.findById(app.ownerId()).orElseThrow(), config);
    }
}
