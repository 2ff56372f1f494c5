package io.slipway.api.sniendpoints;

/** A chain and key that passed {@link CertificateChains#validate}: normalised PEM, ready to store. */
record ValidatedCertificate(String chainPem, String privateKeyPem, SslCert sslCert) {}
