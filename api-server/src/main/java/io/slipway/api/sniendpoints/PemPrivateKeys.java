package io.slipway.api.sniendpoints;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads {@code private_key}: one unencrypted RSA (2048 bits or more) or ECDSA key in any PEM form openssl
 * writes (PKCS#8 {@code PRIVATE KEY}, PKCS#1 {@code RSA PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}, with or
 * without the {@code EC PARAMETERS} block before it). BouncyCastle turns each into PKCS#8, which the JDK's
 * {@link KeyFactory} then loads; PKCS#8 is also the one form handed to the router.
 */
final class PemPrivateKeys {
    static final int MAX_KEY_CHARS = 16 * 1024;
    static final int MIN_RSA_BITS = 2048;
    /** Used directly, never registered: the JDK's providers stay the ones the rest of the server uses. */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private PemPrivateKeys() {}

    record ParsedKey(PrivateKey key, String pkcs8Pem) {}

    static ParsedKey parse(String pem) {
        if (pem == null || pem.isBlank()) throw new CertificateRejected("The private key is empty.");
        if (pem.length() > MAX_KEY_CHARS) {
            throw new CertificateRejected("The private key is larger than " + MAX_KEY_CHARS / 1024 + " KiB.");
        }
        PrivateKeyInfo info = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while (info == null && (o = parser.readObject()) != null) {
                if (o instanceof PEMKeyPair pair) info = pair.getPrivateKeyInfo();
                else if (o instanceof PrivateKeyInfo p) info = p;
                else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new CertificateRejected("The private key is protected by a passphrase; the router needs it"
                            + " unencrypted. Decrypt it first: openssl pkey -in server.key -out server.unencrypted.key");
                } else if (o instanceof X509CertificateHolder) {
                    throw new CertificateRejected("The private key file holds a certificate; give the certificate"
                            + " first and the key second: heroku certs:add server.crt server.key");
                } else if (!(o instanceof ASN1ObjectIdentifier)) { // EC PARAMETERS before a SEC1 key
                    throw new CertificateRejected("The private key file holds " + PemCertificates.describe(o)
                            + " instead of a private key.");
                }
            }
        } catch (CertificateRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CertificateRejected("The private key is not valid PEM: " + PemCertificates.reason(e) + ".");
        }
        if (info == null) {
            throw new CertificateRejected("No private key found: expected a -----BEGIN PRIVATE KEY----- (or RSA/EC"
                    + " PRIVATE KEY) block.");
        }
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String type;
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) type = "RSA";
        else if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) type = "EC";
        else throw new CertificateRejected("Only RSA and ECDSA private keys are supported; this key is of another type"
                + " (" + algorithm.getId() + ").");
        try {
            // BouncyCastle first: a SEC1 key names its curve inside the key, which the JDK's KeyFactory refuses;
            // BouncyCastle's PKCS#8 encoding of the same key carries the curve in the algorithm identifier
            byte[] der = new JcaPEMKeyConverter().setProvider(BC).getPrivateKey(info).getEncoded();
            PrivateKey key = KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
            if (key instanceof RSAPrivateKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                throw new CertificateRejected("The RSA key has " + rsa.getModulus().bitLength() + " bits; at least "
                        + MIN_RSA_BITS + " are required.");
            }
            String out = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return new ParsedKey(key, out);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof CertificateRejected r) throw r;
            throw new CertificateRejected("The private key could not be read: " + PemCertificates.reason(e) + ".");
        }
    }
}
