package io.slipway.api.acm;

/** certs:auto:* on a platform with no ACME directory configured (the web layer answers 422 acm_unavailable). */
public class AcmUnavailable extends RuntimeException {
    public AcmUnavailable() {
        super("Automatic certificates (ACM) are not available on this platform: the operator has not configured an"
                + " ACME directory (SLIPWAY_ACME_DIRECTORY_URL). Add a certificate with heroku certs:add CRT KEY"
                + " (see docs/certificates.md).");
    }
}
