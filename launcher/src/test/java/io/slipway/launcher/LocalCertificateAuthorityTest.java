package io.slipway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCertificateAuthorityTest {
    @TempDir
    Path dir;

    @Test
    void createsACaAndAServerCertificateItSignsFor127001AndLocalhost() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        X509Certificate ca = LocalCertificateAuthority.readCertificate(tls.caCert());
        X509Certificate server = LocalCertificateAuthority.readCertificate(tls.serverCert());

        server.verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "the CA can sign");
        assertEquals(-1, server.getBasicConstraints(), "the server certificate cannot");
        Set<String> sans = server.getSubjectAlternativeNames().stream()
                .map(l -> l.get(0) + ":" + l.get(1)).collect(Collectors.toSet());
        assertEquals(Set.of("7:127.0.0.1", "2:localhost"), sans);
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertTrue(Files.readString(tls.serverKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
    }

    @Test
    void keepsWhatExistsAndRenewsOnlyAMissingServerCertificateWithTheSameCa() throws Exception {
        LocalCertificateAuthority.TlsFiles first = LocalCertificateAuthority.ensure(dir);
        String ca = Files.readString(first.caCert());
        String server = Files.readString(first.serverCert());

        LocalCertificateAuthority.ensure(dir);
        assertEquals(ca, Files.readString(first.caCert()));
        assertEquals(server, Files.readString(first.serverCert()));

        Files.delete(first.serverCert());
        LocalCertificateAuthority.TlsFiles renewed = LocalCertificateAuthority.ensure(dir);
        assertEquals(ca, Files.readString(renewed.caCert()));
        assertNotEquals(server, Files.readString(renewed.serverCert()));
        LocalCertificateAuthority.readCertificate(renewed.serverCert())
                .verify(LocalCertificateAuthority.readCertificate(renewed.caCert()).getPublicKey());
    }

    @Test
    void makesTheRoutersWildcardForTheAppsDomainThatTheRouterAccepts() throws Exception {
        LocalCertificateAuthority.TlsFiles tls = LocalCertificateAuthority.ensure(dir);
        LocalCertificateAuthority.AppsCertificate apps = LocalCertificateAuthority.ensureAppsWildcard(dir);
        X509Certificate ca = LocalCertificateAuthority.readCertificate(tls.caCert());
        X509Certificate leaf = LocalCertificateAuthority.readCertificate(apps.chain());
        leaf.verify(ca.getPublicKey());
        Set<String> sans = leaf.getSubjectAlternativeNames().stream()
                .map(l -> l.get(0) + ":" + l.get(1)).collect(Collectors.toSet());
        assertEquals(Set.of("2:*.localhost", "2:localhost"), sans, "inside the CA's name constraints");
        assertTrue(Files.readString(apps.chain()).endsWith(Files.readString(tls.caCert())), "leaf, then the CA");
        // the router builds its TLS context from exactly these files (and checks that key and certificate match)
        io.slipway.router.tls.TlsContexts.fromFiles(apps.chain(), apps.key());

        String before = Files.readString(apps.chain());
        LocalCertificateAuthority.ensureAppsWildcard(dir);
        assertEquals(before, Files.readString(apps.chain()), "kept between runs");
    }
}
