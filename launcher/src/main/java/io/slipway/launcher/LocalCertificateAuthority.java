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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A certificate authority of this installation, created on the first run in {@code <data-dir>/tls}: the CA
 * ({@code ca.pem}, {@code ca-key.pem}) and a server certificate it signs for {@code 127.0.0.1} (IP SAN) and
 * {@code localhost} (DNS SAN) ({@code server.pem}, {@code server-key.pem}). Keys are EC P-256, PKCS#8 PEM,
 * mode 600. Clients trust {@code ca.pem} (NODE_EXTRA_CA_CERTS, git's per-URL sslCAInfo) and nothing else:
 * verification stays on everywhere. The server certificate is renewed, by the same CA, when it nears expiry.
 *
 * <p>The CA carries critical X.509 name constraints ({@link #PERMITTED_DNS}, {@link #PERMITTED_IPS}): it can
 * only vouch for the platform's own names, so a user who trusts it (in node, git, curl, a JVM or a browser)
 * trusts nothing else, even if {@code ca-key.pem} leaks. A CA made before these constraints existed is
 * replaced by a new one on the next start (with a message saying so).
 */
public final class LocalCertificateAuthority {
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration SERVER_VALIDITY = Duration.ofDays(397);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger log = LoggerFactory.getLogger(LocalCertificateAuthority.class);
    /** DNS subtrees the CA may sign: {@code localhost} and every {@code <app>.localhost} (the apps domain). */
    static final List<String> PERMITTED_DNS = List.of("localhost");
    /** IP ranges the CA may sign: loopback, IPv4 and IPv6 (the platform listens on 127.0.0.1). */
    static final List<String> PERMITTED_IPS = List.of("127.0.0.0/8", "::1/128");

    /** The PEM files the API server and its clients use. */
    public record TlsFiles(Path caCert, Path serverCert, Path serverKey) {}

    /** The router's default certificate for the apps domain ({@code apps.pem}: leaf then CA; {@code apps-key.pem}). */
    public record AppsCertificate(Path chain, Path key) {}

    /** The apps domain of the one-machine platform: apps answer at {@code <app>.localhost}. */
    static final String APPS_DOMAIN = "localhost";

    private LocalCertificateAuthority() {}

    public static TlsFiles ensure(Path tlsDir) {
        return ensure(tlsDir, List.of(), List.of());
    }

    /**
     * As {@link #ensure(Path)}, for a platform whose API is also reached on private addresses (the one-machine
     * cluster's api-server replicas, {@code heroku run}'s rendezvous on each replica's own address): the CA may
     * also sign {@code extraPermitted} (CIDRs) and the server certificate names {@code extraIps} too. A data
     * directory is created with one set of names; they are fixed for its life.
     */
    public static TlsFiles ensure(Path tlsDir, List<String> extraIps, List<String> extraPermitted) {
        PrivateFiles.directory(tlsDir);
        Path caCert = tlsDir.resolve("ca.pem");
        Path caKey = tlsDir.resolve("ca-key.pem");
        Path serverCert = tlsDir.resolve("server.pem");
        Path serverKey = tlsDir.resolve("server-key.pem");
        try {
            if (Files.isRegularFile(caCert) && !constrained(readCertificate(caCert))) {
                log.warn("The local CA in {} can sign any name (it predates name constraints): replacing it with a CA"
                        + " limited to localhost and loopback addresses. Clients reading {} pick it up; if you imported"
                        + " the old CA into a browser or system store, remove it there and import the new one.",
                        tlsDir, caCert);
                Files.deleteIfExists(caKey);
            }
            if (!Files.isRegularFile(caCert) || !Files.isRegularFile(caKey)) {
                KeyPair ca = newKeyPair();
                X509Certificate cert = selfSignedCa(ca, extraPermitted);
                PrivateFiles.write(caKey, pem("PRIVATE KEY", ca.getPrivate().getEncoded()));
                writePublic(caCert, pem("CERTIFICATE", cert.getEncoded()));
                Files.deleteIfExists(serverCert);
            }
            if (needsServerCertificate(serverCert, serverKey)) {
                X509Certificate ca = readCertificate(caCert);
                PrivateKey caPrivate = readPrivateKey(caKey);
                KeyPair server = newKeyPair();
                X509Certificate cert = serverCertificate(server.getPublic(), ca, caPrivate, extraIps);
                PrivateFiles.write(serverKey, pem("PRIVATE KEY", server.getPrivate().getEncoded()));
                writePublic(serverCert, pem("CERTIFICATE", cert.getEncoded()));
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not create the local certificate authority", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the local certificate authority in " + tlsDir, e);
        }
        return new TlsFiles(caCert, serverCert, serverKey);
    }

    /**
     * The router's default certificate, signed by this installation's CA (call {@link #ensure} first): a wildcard
     * for the apps domain ({@code *.localhost}) and the apps domain itself, made once and renewed like the server
     * certificate (or when the CA was replaced). The chain file carries the CA after the leaf, as a chain should.
     */
    public static AppsCertificate ensureAppsWildcard(Path tlsDir) {
        Path caCert = tlsDir.resolve("ca.pem");
        Path caKey = tlsDir.resolve("ca-key.pem");
        Path chain = tlsDir.resolve("apps.pem");
        Path key = tlsDir.resolve("apps-key.pem");
        try {
            X509Certificate ca = readCertificate(caCert);
            if (needsServerCertificate(chain, key) || !signedBy(readCertificate(chain), ca)) {
                KeyPair pair = newKeyPair();
                GeneralName[] names = {new GeneralName(GeneralName.dNSName, "*." + APPS_DOMAIN),
                    new GeneralName(GeneralName.dNSName, APPS_DOMAIN)};
                X509Certificate cert = leafCertificate(pair.getPublic(), ca, readPrivateKey(caKey), "*." + APPS_DOMAIN,
                        names);
                PrivateFiles.write(key, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                writePublic(chain, pem("CERTIFICATE", cert.getEncoded()) + Files.readString(caCert));
            }
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not create the apps' wildcard certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the apps' wildcard certificate in " + tlsDir, e);
        }
        return new AppsCertificate(chain, key);
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean needsServerCertificate(Path cert, Path key) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) return true;
        Instant renewAt = readCertificate(cert).getNotAfter().toInstant().minus(RENEW_BEFORE);
        return Instant.now().isAfter(renewAt);
    }

    private static X509Certificate selfSignedCa(KeyPair ca, List<String> extraPermitted) throws GeneralSecurityException, OperatorCreationException, IOException {
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
        for (String dns : PERMITTED_DNS) permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, dns)));
        for (String ip : PERMITTED_IPS) permitted.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, ip)));
        for (String ip : extraPermitted) permitted.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, ip)));
        return new NameConstraints(permitted.toArray(GeneralSubtree[]::new), null);
    }

    /** Whether a CA certificate carries the name constraints (CAs made by older versions do not). */
    static boolean constrained(X509Certificate ca) {
        return ca.getCriticalExtensionOIDs() != null
                && ca.getCriticalExtensionOIDs().contains(Extension.nameConstraints.getId());
    }

    private static X509Certificate serverCertificate(PublicKey server, X509Certificate ca, PrivateKey caKey,
                                                     List<String> extraIps) throws GeneralSecurityException, OperatorCreationException, IOException {
        return leafCertificate(server, ca, caKey, LauncherConfig.HOST, sans(extraIps));
    }

    private static X509Certificate leafCertificate(PublicKey server, X509Certificate ca, PrivateKey caKey, String cn,
                                                   GeneralName[] names)
            throws GeneralSecurityException, OperatorCreationException, IOException {
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

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        X509CertificateHolder holder = b.build(new JcaContentSignerBuilder(SIGNATURE).build(key));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            Object o = parser.readObject();
            if (!(o instanceof X509CertificateHolder holder)) throw new IOException("no certificate in " + file);
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
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
