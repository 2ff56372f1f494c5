package io.slipway.api.rendezvous;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.springframework.core.io.ClassPathResource;

/** A server {@link SSLContext} from PEM files: a certificate chain and its (unencrypted) private key. */
final class PemKeyStore {
    private PemKeyStore() {}

    static SSLContext serverContext(String certificateLocation, String keyLocation) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = certificates(certificateLocation);
        PrivateKey key = null;
        // BouncyCastle reads every PEM key form (SEC1 "EC PRIVATE KEY" too, which the JDK's KeyFactory refuses
        // when the curve is only named inside the key); it is re-encoded as PKCS#8 for the JDK's TLS below
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter().setProvider(new BouncyCastleProvider());
        try (PEMParser parser = new PEMParser(open(keyLocation))) {
            for (Object o; key == null && (o = parser.readObject()) != null; ) {
                if (o instanceof PEMKeyPair pair) key = keys.getPrivateKey(pair.getPrivateKeyInfo());
                else if (o instanceof PrivateKeyInfo info) key = keys.getPrivateKey(info);
            }
        }
        if (key == null) throw new IOException("no unencrypted private key in " + keyLocation);
        String algorithm = key.getAlgorithm().startsWith("EC") ? "EC" : key.getAlgorithm(); // BC says "ECDSA"
        key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("rendezvous", key, password, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** The certificates of a PEM file, in order; fails when there is none. */
    static List<X509Certificate> certificates(String location) throws IOException, GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(open(location))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof X509CertificateHolder h) out.add(certs.getCertificate(h));
            }
        }
        if (out.isEmpty()) throw new IOException("no certificate in " + location);
        return out;
    }

    /**
     * A client {@link SSLContext} trusting exactly {@code trusted} (as anchors: a leaf listed here is trusted
     * as it is). Used between replicas, which reach each other by internal addresses the certificate need not
     * name, so the peer is identified by its certificate, not by a host name.
     */
    static SSLContext clientContext(List<X509Certificate> trusted) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < trusted.size(); i++) store.setCertificateEntry("trusted-" + i, trusted.get(i));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Spring's location forms: {@code classpath:x.pem}, {@code file:/x.pem}, or a plain path. */
    private static Reader open(String location) throws IOException {
        InputStream in;
        if (location.startsWith("classpath:")) {
            in = new ClassPathResource(location.substring("classpath:".length())).getInputStream();
        } else {
            in = Files.newInputStream(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        }
        return new InputStreamReader(in, StandardCharsets.US_ASCII);
    }
}
