package io.slipway.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 *
 * <p>This class reads and decides with the JDK alone; {@link LocalCertificateIssuer} makes certificates, with
 * BouncyCastle. Why apart: a start that finds its certificates in date (every start but the first) loads no
 * BouncyCastle class, whose signed jars cost a third of the launcher's own start to verify (docs/benchmarks.md).
 */
public final class LocalCertificateAuthority {
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Logger log = LoggerFactory.getLogger(LocalCertificateAuthority.class);
    /** DNS subtrees the CA may sign: {@code localhost} and every {@code <app>.localhost} (the apps domain). */
    static final List<String> PERMITTED_DNS = List.of("localhost");
    /** IP ranges the CA may sign: loopback, IPv4 and IPv6 (the platform listens on 127.0.0.1). */
    static final List<String> PERMITTED_IPS = List.of("127.0.0.0/8", "::1/128");
    /** X.509's name constraints extension (RFC 5280, 4.2.1.10). */
    private static final String NAME_CONSTRAINTS_OID = "2.5.29.30";

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
                LocalCertificateIssuer.newCa(caCert, caKey, extraPermitted);
                Files.deleteIfExists(serverCert);
            }
            if (needsNewLeaf(serverCert, serverKey)) {
                LocalCertificateIssuer.serverCertificate(serverCert, serverKey, caCert, caKey, extraIps);
            }
        } catch (GeneralSecurityException e) {
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
            if (needsNewLeaf(chain, key) || !signedBy(readCertificate(chain), readCertificate(caCert))) {
                LocalCertificateIssuer.appsWildcard(chain, key, caCert, caKey, APPS_DOMAIN);
            }
        } catch (GeneralSecurityException e) {
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

    /** A leaf certificate (the server's, the apps' wildcard) missing, or due for renewal. */
    private static boolean needsNewLeaf(Path cert, Path key) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(cert) || !Files.isRegularFile(key)) return true;
        Instant renewAt = readCertificate(cert).getNotAfter().toInstant().minus(RENEW_BEFORE);
        return Instant.now().isAfter(renewAt);
    }

    /** Whether a CA certificate carries the name constraints (CAs made by older versions do not). */
    static boolean constrained(X509Certificate ca) {
        return ca.getCriticalExtensionOIDs() != null && ca.getCriticalExtensionOIDs().contains(NAME_CONSTRAINTS_OID);
    }

    /** The first certificate of a PEM file (a chain file starts with its leaf). */
    static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificate(in) instanceof X509Certificate cert) {
                return cert;
            }
            throw new IOException("no X.509 certificate in " + file);
        }
    }
}
