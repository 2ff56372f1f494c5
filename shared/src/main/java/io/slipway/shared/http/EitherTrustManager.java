package io.slipway.shared.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A chain is trusted when the platform's (constrained) CA vouches for it, or else the JDK's CAs do. A certificate
 * the platform's CA signed for a name outside its constraints fails both: the platform CA is not among the JDK's.
 */
final class EitherTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager platform;
    private final X509ExtendedTrustManager jdk;

    EitherTrustManager(X509ExtendedTrustManager platform, X509ExtendedTrustManager jdk) {
        this.platform = platform;
        this.jdk = jdk;
    }

    @FunctionalInterface
    private interface Check {
        void check(X509ExtendedTrustManager manager) throws CertificateException;
    }

    private void either(Check check) throws CertificateException {
        try {
            check.check(platform);
        } catch (CertificateException notThePlatforms) {
            try {
                check.check(jdk);
            } catch (CertificateException notPublic) {
                notPublic.addSuppressed(notThePlatforms);
                throw notThePlatforms instanceof ConstrainedTrustManager.Violation ? notThePlatforms : notPublic;
            }
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        either(m -> m.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        either(m -> m.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        either(m -> m.checkServerTrusted(chain, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        either(m -> m.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        either(m -> m.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        either(m -> m.checkClientTrusted(chain, authType));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return Stream.concat(Arrays.stream(platform.getAcceptedIssuers()), Arrays.stream(jdk.getAcceptedIssuers()))
                .toArray(X509Certificate[]::new);
    }
}
