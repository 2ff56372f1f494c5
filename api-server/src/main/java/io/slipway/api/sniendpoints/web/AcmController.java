package io.slipway.api.sniendpoints.web;

import io.slipway.api.apps.AppAccess;
import io.slipway.api.web.ApiException;
import io.slipway.api.identity.Caller;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code heroku certs:auto:enable|disable|refresh} ({@code POST|DELETE|PATCH /apps/{app}/acm}): Automated
 * Certificate Management is not built yet (it needs an ACME client and the router answering HTTP-01
 * challenges), so each answers a clear 422 instead of pretending; {@code apps:info}'s {@code acm} stays false.
 * See docs/certificates.md.
 */
@RestController
public class AcmController {
    private final AppAccess access;

    public AcmController(AppAccess access) {
        this.access = access;
    }

    @RequestMapping(value = "/apps/{app}/acm", method = {RequestMethod.POST, RequestMethod.DELETE, RequestMethod.PATCH})
    public void acm(Caller caller, @PathVariable String app) {
        access.visible(caller, app);
        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "acm_unavailable",
                "Automatic certificates (ACM) are not available on this platform yet. Add a certificate with"
                        + " heroku certs:add CRT KEY (see docs/certificates.md).", null);
    }
}
