package io.slipway.launcher;

import io.slipway.shared.http.CaTrust;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local CA of {@code slipway up} may sign only the platform's own names: a user who trusts it (node for
 * the stock CLI, git and curl through OpenSSL/GnuTLS, a JVM) trusts nothing else, even if its key leaks.
 * The attack: a certificate for {@code example.com} (or a non-loopback address) signed with the CA's own key.
 */
class CaNameConstraintsTest {
    @TempDir
    Path dir;

    @Test
    void caCarriesCriticalNameConstraints() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        X509Certificate ca = LocalCertificateAuthority.readCertificate(tls.caCert());
        assertTrue(ca.getCriticalExtensionOIDs().contains(Extension.nameConstraints.getId()));
        String text = run(List.of("openssl", "x509", "-in", tls.caCert().toString(), "-noout", "-text")).out;
        assertTrue(text.contains("X509v3 Name Constraints: critical"), text);
        assertTrue(text.contains("DNS:localhost"), text);
        assertTrue(text.contains("IP:127.0.0.0/255.0.0.0"), text);
    }

    @Test
    void opensslRejectsACertificateForAnotherNameSignedByTheCa() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        Result ok = run(List.of("openssl", "verify", "-CAfile", tls.caCert().toString(), "-purpose", "sslserver",
                tls.serverCert().toString()));
        assertEquals(0, ok.code, ok.out);

        for (GeneralName[] names : List.of(
                new GeneralName[] {new GeneralName(GeneralName.dNSName, "example.com")},
                new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost.example.com")},
                new GeneralName[] {new GeneralName(GeneralName.iPAddress, "10.0.0.1")},
                new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.dNSName, "example.com")})) {
            Path forged = dir.resolve("forged.pem");
            Files.writeString(forged, pem(forge(tls, names)));
            Result refused = run(List.of("openssl", "verify", "-CAfile", tls.caCert().toString(), "-purpose",
                    "sslserver", forged.toString()));
            assertNotEquals(0, refused.code, refused.out);
            assertTrue(refused.out.contains("permitted subtree violation"), refused.out);
        }
    }

    /** The platform's Java clients (git-gateway, build-worker, dyno-agent, launcher) trust through CaTrust. */
    @Test
    void javaClientsOfThePlatformAcceptItsCertificateAndRejectAForgedOne() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        X509TrustManager trust = (X509TrustManager) CaTrust.trustManagers(tls.caCert())[0];
        trust.checkServerTrusted(new X509Certificate[] {LocalCertificateAuthority.readCertificate(tls.serverCert())},
                "ECDHE_ECDSA");
        X509Certificate forged = forge(tls, new GeneralName[] {new GeneralName(GeneralName.dNSName, "example.com")});
        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {forged}, "ECDHE_ECDSA"));
        assertTrue(String.valueOf(refused.getMessage()).contains("may not vouch for"), String.valueOf(refused));
    }

    /**
     * The components' clients (build-worker, dyno-agent, router, git-gateway: {@code TrustedHttpClients}, the JDK's
     * CAs as well for public object stores) hold the platform's CA to the same constraints.
     */
    @Test
    void componentClientsTrustingTheJdksCasAsWellRejectAForgedOne() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        X509TrustManager trust = (X509TrustManager) CaTrust.trustManagersWithJdkCas(tls.caCert())[0];
        trust.checkServerTrusted(new X509Certificate[] {LocalCertificateAuthority.readCertificate(tls.serverCert())},
                "ECDHE_ECDSA");
        X509Certificate forged = forge(tls, new GeneralName[] {new GeneralName(GeneralName.dNSName, "example.com")});
        CertificateException refused = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {forged}, "ECDHE_ECDSA"));
        assertTrue(String.valueOf(refused.getMessage()).contains("may not vouch for"), String.valueOf(refused));
    }

    /** The real clients, over real TLS, against a server using the platform's certificate. */
    @Test
    void nodeCurlGitAndJavaStillAcceptThePlatformsCertificate() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext(tls)));
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            for (String host : List.of("127.0.0.1", "localhost")) {
                String url = "https://" + host + ":" + port + "/hello";
                Result curl = run(List.of("curl", "-sS", "--cacert", tls.caCert().toString(), url));
                assertEquals(0, curl.code, "curl " + url + ": " + curl.out);
                assertEquals("ok", curl.out.strip());

                Result node = run(List.of("node", "-e", "require('https').get(process.argv[1], r => { let b = '';"
                        + " r.on('data', d => b += d); r.on('end', () => console.log(r.statusCode + ' ' + b)); })"
                        + ".on('error', e => { console.error(e.code || e.message); process.exit(3); })", url),
                        "NODE_EXTRA_CA_CERTS", tls.caCert().toString());
                assertEquals(0, node.code, "node " + url + ": " + node.out);
                assertEquals("200 ok", node.out.strip());

                HttpResponse<String> java = HttpClient.newBuilder().sslContext(CaTrust.sslContext(tls.caCert()))
                        .connectTimeout(Duration.ofSeconds(10)).build()
                        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("ok", java.body());
            }
            // git (libcurl, GnuTLS on Debian): it reaches the server; the "repository" answers nonsense, but no
            // certificate error comes first
            paths.clear();
            Result git = run(List.of("git", "-c", "http.sslCAInfo=" + tls.caCert(), "ls-remote",
                    "https://127.0.0.1:" + port + "/app.git"), "GIT_TERMINAL_PROMPT", "0",
                    "GIT_SSL_CAINFO", tls.caCert().toString());
            assertFalse(git.out.toLowerCase().contains("certificate"), git.out);
            assertFalse(git.out.toLowerCase().contains("ssl"), git.out);
            assertTrue(paths.stream().anyMatch(p -> p.startsWith("/app.git/info/refs")), paths + " " + git.out);
        } finally {
            server.stop(0);
        }
    }

    /** A data directory from before name constraints: its CA is replaced (and the server certificate with it). */
    @Test
    void anOldUnconstrainedCaIsReplaced() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        KeyPair old = keyPair();
        X500Name name = new X500Name("CN=Slipway local CA old,O=Slipway");
        Instant now = Instant.now();
        X509Certificate unconstrained = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(now.minusSeconds(3600)),
                        Date.from(now.plus(Duration.ofDays(10))), name, old.getPublic())
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign))
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(old.getPrivate())));
        Files.writeString(tls.caCert(), pem(unconstrained));
        Files.writeString(dir.resolve("ca-key.pem"), pem(old.getPrivate()));
        assertFalse(LocalCertificateAuthority.constrained(LocalCertificateAuthority.readCertificate(tls.caCert())));

        LocalCertificateAuthority.TlsFiles renewed = LocalCertificateAuthority.ensure(dir);
        X509Certificate ca = LocalCertificateAuthority.readCertificate(renewed.caCert());
        assertTrue(LocalCertificateAuthority.constrained(ca));
        assertNotEquals(unconstrained, ca);
        LocalCertificateAuthority.readCertificate(renewed.serverCert()).verify(ca.getPublicKey());
    }

    /** What an attacker holding the CA's key would make: a server certificate for other names. */
    private static X509Certificate forge(LocalCertificateAuthority.TlsFiles tls, GeneralName[] names) throws Exception {
        X509Certificate ca = LocalCertificateAuthority.readCertificate(tls.caCert());
        PrivateKey caKey = LocalCertificateIssuer.readPrivateKey(tls.caCert().resolveSibling("ca-key.pem"));
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(ca,
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(3600)),
                Date.from(now.plus(Duration.ofDays(10))), new X500Name("CN=forged"), keyPair().getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey)));
    }

    private static SSLContext serverContext(LocalCertificateAuthority.TlsFiles tls) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", LocalCertificateIssuer.readPrivateKey(tls.serverKey()), new char[0],
                new X509Certificate[] {LocalCertificateAuthority.readCertificate(tls.serverCert()),
                        LocalCertificateAuthority.readCertificate(tls.caCert())});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private record Result(int code, String out) {}

    private static Result run(List<String> command, String... env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
        for (int i = 0; i + 1 < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), out);
    }
}
