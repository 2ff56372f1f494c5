package io.slipway.api.sniendpoints;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads {@code certificate_chain}: PEM certificates, leaf first. BouncyCastle's parser walks the PEM blocks (it
 * skips text between them, as openssl does, so a chain with comments or "Bag Attributes" still reads); each
 * block must be a certificate and is then decoded by the JDK's {@link CertificateFactory}. Limits hold before
 * any work so hostile input (megabytes, hundreds of certificates) costs little.
 */
final class PemCertificates {
    static final int MAX_CHAIN_CHARS = 64 * 1024;
    static final int MAX_CERTIFICATES = 10;

    private PemCertificates() {}

    static List<X509Certificate> parse(String pem) {
        if (pem == null || pem.isBlank()) throw new CertificateRejected("The certificate chain is empty.");
        if (pem.length() > MAX_CHAIN_CHARS) {
            throw new CertificateRejected("The certificate chain is larger than " + MAX_CHAIN_CHARS / 1024
                    + " KiB; send only your certificate and its intermediates.");
        }
        List<X509Certificate> chain = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            Object o;
            while ((o = parser.readObject()) != null) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new CertificateRejected("The certificate chain holds something other than certificates"
                            + " (" + describe(o) + "); send the PEM certificates only, the key separately.");
                }
                if (chain.size() == MAX_CERTIFICATES) {
                    throw new CertificateRejected("The certificate chain holds more than " + MAX_CERTIFICATES
                            + " certificates.");
                }
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(holder.getEncoded())));
            }
        } catch (CertificateRejected e) {
            throw e;
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new CertificateRejected("The certificate chain is not valid PEM: " + reason(e)
                    + ". Expected one or more -----BEGIN CERTIFICATE----- blocks, leaf first.");
        }
        if (chain.isEmpty()) {
            throw new CertificateRejected("No certificate found: expected one or more -----BEGIN CERTIFICATE-----"
                    + " blocks, leaf first.");
        }
        return chain;
    }

    /** PEM of each certificate, leaf first: what the router is given (any text between blocks is dropped). */
    static String write(List<X509Certificate> chain) {
        StringBuilder out = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate c : chain) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateException e) {
                throw new IllegalStateException("a parsed certificate re-encodes", e);
            }
        }
        return out.toString();
    }

    static String describe(Object o) {
        String n = o.getClass().getSimpleName();
        if (n.contains("KeyPair") || n.contains("PrivateKey")) return "a private key";
        if (n.contains("PublicKey")) return "a public key";
        if (n.contains("PKCS10")) return "a certificate request";
        return "a PEM block of another type";
    }

    static String reason(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        m = m.replaceAll("\\s+", " ");
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }
}
