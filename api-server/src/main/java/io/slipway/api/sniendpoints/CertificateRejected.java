package io.slipway.api.sniendpoints;

/** A certificate chain or private key that cannot be used; the message tells the user what to fix. */
public class CertificateRejected extends RuntimeException {
    public CertificateRejected(String message) {
        super(message);
    }
}
