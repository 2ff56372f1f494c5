package io.slipway.launcher;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Makes the certificates of the installation's {@link LocalCertificateAuthority} (which decides when) with
 * BouncyCastle's certificate builders: the name-constrained CA, the API's server certificate and the apps'
 * wildcard, as EC P-256 keys in PKCS#8 PEM (mode 600) and certificates readable by all.
 */
final class LocalCertificateIssuer {
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalCertificateIssuer() {}

    /** A new CA (its key and self-signed certificate), allowed to sign the permitted names plus {@code extraPermitted}. */
    static void newCa(Path caCert, Path caKey, List<String> extraPermitted) throws IOException, GeneralSecurityException {
        KeyPair ca = newKeyPair();
        X509Certificate cert = selfSignedCa(ca, extraPermitted);
        PrivateFiles.write(caKey, pem("PRIVATE KEY", ca.getPrivate().getEncoded()));
        writePublic(caCert, pem("CERTIFICATE", cert.getEncoded()));
    }

    /** The API's server certificate for 127.0.0.1, localhost and {@code extraIps}, signed by the CA. */
    static void serverCertificate(Path serverCert, Path serverKey, Path caCert, Path caKey, List<String> extraIps)
            throws IOException, GeneralSecurityException {
        X509Certificate ca = LocalCertificateAuthority.readCertificate(caCert);
        PrivateKey caPrivate = readPrivateKey(caKey);
        KeyPair server = newKeyPair();
        X509Certificate cert = leafCertificate(server.getPublic(), ca, caPrivate, LauncherConfig.HOST, sans(extraIps));
        PrivateFiles.write(serverKey, pem("PRIVATE KEY", server.getPrivate().getEncoded()));
        writePublic(serverCert, pem("CERTIFICATE", cert.getEncoded()));
    }

    /** The wildcard of {@code domain} and the domain itself, signed by the CA; the chain file ends with the CA. */
    static void appsWildcard(Path chain, Path key, Path caCert, Path caKey, String domain)
            throws IOException, GeneralSecurityException {
        X509Certificate ca = LocalCertificateAuthority.readCertificate(caCert);
        PrivateKey caPrivate = readPrivateKey(caKey);
        KeyPair pair = newKeyPair();
        GeneralName[] names = {new GeneralName(GeneralName.dNSName, "*." + domain),
            new GeneralName(GeneralName.dNSName, domain)};
        X509Certificate cert = leafCertificate(pair.getPublic(), ca, caPrivate, "*." + domain, names);
        PrivateFiles.write(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        writePublic(chain, pem("CERTIFICATE", cert.getEncoded()) + Files.readString(caCert));
    }

    private static X509Certificate selfSignedCa(KeyPair ca, List<String> extraPermitted)
            throws GeneralSecurityException, IOException {
        X500Name name = new X500Name("CN=Slipway local CA " + DataDir.randomToken(6) + ",O=Slipway");
        Instant now = Instant.now();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CA_VALIDITY)), name, ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.nameConstraints, true, nameConstraints(extraPermitted))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
        return sign(b, ca.getPrivate());
    }

    /** Critical name constraints: only the permitted DNS subtrees and IP ranges, nothing excluded. */
    private static NameConstraints nameConstraints(List<String> extraPermitted) {
        List<GeneralSubtree> permitted = new ArrayList<>();
        for (String dns : LocalCertificateAuthority.PERMITTED_DNS) {
            permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, dns)));
        }
        List<String> ips = new ArrayList<>(LocalCertificateAuthority.PERMITTED_IPS);
        ips.addAll(extraPermitted);
        for (String ip : ips) permitted.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, ip)));
        return new NameConstraints(permitted.toArray(GeneralSubtree[]::new), null);
    }

    private static X509Certificate leafCertificate(PublicKey server, X509Certificate ca, PrivateKey caKey, String cn,
                                                   GeneralName[] names)
            throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(SERVER_VALIDITY)),
                new X500Name("CN=" + cn + ",O=Slipway"), server)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(server))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
        return sign(b, caKey);
    }

    private static GeneralName[] sans(List<String> extraIps) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.iPAddress, LauncherConfig.HOST));
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        for (String ip : extraIps) names.add(new GeneralName(GeneralName.iPAddress, ip));
        return names.toArray(GeneralName[]::new);
    }

    /** BouncyCastle's signer errors turned into the JDK's, so every caller handles one kind. */
    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder(SIGNATURE).build(key));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("could not sign the certificate", e);
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    static PrivateKey readPrivateKey(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(PrivateFiles.read(file)))) {
            Object o = parser.readObject();
            if (!(o instanceof PrivateKeyInfo info)) throw new IOException("no PKCS#8 private key in " + file);
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        }
        return out.toString();
    }

    /** Certificates are public: readable by anyone who can reach the directory (git and node read ca.pem). */
    private static void writePublic(Path file, String content) throws IOException {
        PrivateFiles.write(file, content);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
    }
}
