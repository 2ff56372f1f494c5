package io.slipway.api.acm;

/** certs:auto:refresh on an app without ACM (the web layer answers 422 invalid_params). */
public class AcmNotEnabled extends RuntimeException {
    public AcmNotEnabled(String app) {
        super("Automatic certificates are not enabled on " + app + ". Enable them with heroku certs:auto:enable.");
    }
}
