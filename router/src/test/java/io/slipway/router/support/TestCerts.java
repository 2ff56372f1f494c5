package io.slipway.router.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA made with the {@code openssl} command, issuing leaf certificates (EC P-256, PKCS#8 keys) whose
 * subject CN tells a test which certificate a handshake got. Every leaf also names IP 127.0.0.1, so the JDK
 * client (which cannot resolve test hostnames to loopback) verifies it when connecting to 127.0.0.1 with an
 * explicit SNI name.
 */
public final class TestCerts {
    /** One issued certificate: PEM chain (leaf, CA) and key, also as files. */
    public record Issued(String cn, String chainPem, String keyPem, Path chainFile, Path keyFile) {}

    private final Path dir;
    private final Path caCert;
    private final Path caKey;
    private int serial;

    public TestCerts(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        caKey = dir.resolve("ca-key.pem");
        caCert = dir.resolve("ca.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "2", "-subj", "/CN=Router test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
    }

    public Path caFile() {
        return caCert;
    }

    /** A leaf for {@code names} (DNS SANs, wildcards allowed) with subject CN {@code cn}. */
    public Issued issue(String cn, String... names) throws IOException, InterruptedException {
        String base = "leaf" + (++serial);
        Path key = dir.resolve(base + "-key.pem");
        Path csr = dir.resolve(base + ".csr");
        Path cert = dir.resolve(base + ".pem");
        Path ext = dir.resolve(base + ".ext");
        List<String> sans = new ArrayList<>();
        for (String n : names) sans.add("DNS:" + n);
        sans.add("IP:127.0.0.1");
        Files.writeString(ext, "subjectAltName=" + String.join(",", sans) + "\nextendedKeyUsage=serverAuth\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
                key.toString(), "-out", csr.toString(), "-subj", "/CN=" + cn);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", ext.toString());
        String chain = Files.readString(cert) + Files.readString(caCert);
        Path chainFile = dir.resolve(base + "-chain.pem");
        Files.writeString(chainFile, chain);
        return new Issued(cn, chain, Files.readString(key), chainFile, key);
    }

    /** An SSL context trusting this CA only. */
    public SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caCert))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
        }
    }
}
