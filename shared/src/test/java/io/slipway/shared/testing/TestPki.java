package io.slipway.shared.testing;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test certificates made on the fly: a CA, intermediates and leaves, any dates, any key type, as PEM. For the
 * api-server's certificate checks and the launcher's {@code heroku certs} acceptance tests (BouncyCastle's pkix:
 * test scope here, main scope in both).
 */
public final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestPki() {}

    public record Issued(KeyPair keys, X509Certificate cert) {
        public String certPem() { return pem(cert); }
        /** PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"), as openssl's traditional form. */
        public String traditionalKeyPem() { return pem(traditional(keys.getPrivate())); }
        public String pkcs8KeyPem() { return pkcs8(keys.getPrivate()); }
    }

    public static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued ca(String cn) {
        KeyPair k = rsa(2048);
        return new Issued(k, build("CN=" + cn, k, "CN=" + cn, k.getPrivate(), true, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365))));
    }

    public static Issued intermediate(Issued issuer, String cn) {
        KeyPair k = rsa(2048);
        return new Issued(k, build("CN=" + cn, k, issuer.cert().getSubjectX500Principal().getName(),
                issuer.keys().getPrivate(), true, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365))));
    }

    public static Issued leaf(Issued issuer, KeyPair k, Instant from, Instant until, String... names) {
        return new Issued(k, build("CN=" + names[0], k, issuer.cert().getSubjectX500Principal().getName(),
                issuer.keys().getPrivate(), false, from, until, names));
    }

    public static Issued leaf(Issued issuer, String... names) {
        return leaf(issuer, rsa(2048), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), names);
    }

    public static Issued selfSigned(String... names) {
        KeyPair k = ec();
        return new Issued(k, build("CN=" + names[0], k, "CN=" + names[0], k.getPrivate(), false,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), names));
    }

    private static X509Certificate build(String subject, KeyPair k, String issuer, PrivateKey signer, boolean ca,
                                         Instant from, Instant until, String... names) {
        try {
            var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
                    Date.from(from), Date.from(until), new X500Name(subject), k.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (names.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(Arrays.stream(names)
                        .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            }
            String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) w.writeObject(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /**
     * BouncyCastle's own key object, so the PEM writer's SEC1 form carries the curve (the JDK's EC key encodes it
     * only in the PKCS#8 wrapper, and the writer would drop it, as no openssl key ever does).
     */
    public static PrivateKey traditional(PrivateKey key) {
        try {
            return new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .getPrivateKey(org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key under a passphrase (traditional openssl encryption, "Proc-Type: 4,ENCRYPTED"). */
    public static String encrypted(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(key, new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build("secret".toCharArray()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    /** The key as PKCS#8 under a passphrase ("BEGIN ENCRYPTED PRIVATE KEY"). */
    public static String encryptedPkcs8(PrivateKey key) {
        try {
            var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                    org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPassword("secret".toCharArray()).build();
            return pem(new JcaPKCS8Generator(key, encryptor).generate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
