package io.slipway.router.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A PEM certificate chain and PKCS#8 private key, parsed and checked to belong together: OpenSSL would otherwise
 * accept a mismatched pair and fail every handshake for its names, where falling back to the default certificate
 * is the better answer.
 */
record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {
    private static final String[] KEY_TYPES = {"EC", "RSA", "Ed25519"};

    static PemKeyPair parse(String chainPem, String keyPem) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (var c : cf.generateCertificates(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) c);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the certificate chain does not parse: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) throw new IllegalArgumentException("no certificate in the chain");
        PrivateKey key = privateKey(keyPem);
        if (!matches(chain.get(0), key)) {
            throw new IllegalArgumentException("the private key does not match the certificate "
                    + chain.get(0).getSubjectX500Principal().getName());
        }
        return new PemKeyPair(List.copyOf(chain), key);
    }

    private static PrivateKey privateKey(String pem) {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        if (!pem.contains("BEGIN PRIVATE KEY")) throw new IllegalArgumentException("the private key is not PKCS#8 PEM");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key is not valid base64", e);
        }
        for (String type : KEY_TYPES) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("the private key is not an EC, RSA or Ed25519 PKCS#8 key");
    }

    /** Signs a message with the key and verifies it with the certificate's public key. */
    private static boolean matches(X509Certificate leaf, PrivateKey key) {
        String alg = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] message = "slipway router key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(message);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(leaf.getPublicKey());
            v.update(message);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
