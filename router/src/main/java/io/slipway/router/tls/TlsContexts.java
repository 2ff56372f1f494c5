package io.slipway.router.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * Builds the server TLS contexts, all with the same modern policy: TLS 1.2 and 1.3 only, forward-secret AEAD
 * ciphers only (Netty's HTTP/2 list: ECDHE with AES-GCM or ChaCha20-Poly1305, and TLS 1.3's suites), ALPN
 * {@code h2} then {@code http/1.1}, and a session cache with tickets so returning clients resume without a full
 * handshake. OpenSSL (BoringSSL, from netty-tcnative) when it loads, which is several times cheaper per handshake
 * and per byte than the JDK's provider; the JDK provider otherwise.
 */
public final class TlsContexts {
    private static final Logger LOG = Logger.getLogger(TlsContexts.class.getName());
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Sessions kept per context for resumption, and for how long (seconds): nginx's defaults are similar. */
    private static final long SESSION_CACHE = 20_000;
    private static final long SESSION_TIMEOUT_SECONDS = 3600;
    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private TlsContexts() {}

    /** Which provider the contexts use: {@code OPENSSL} when netty-tcnative loaded here, else {@code JDK}. */
    public static SslProvider provider() {
        return Holder.PROVIDER;
    }

    private static final class Holder {
        static final SslProvider PROVIDER = choose();

        private static SslProvider choose() {
            if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
                LOG.info("router TLS: " + OpenSsl.versionString() + " (netty-tcnative)");
                return SslProvider.OPENSSL;
            }
            LOG.warning("router TLS: OpenSSL unavailable (" + OpenSsl.unavailabilityCause() + "), using the JDK provider");
            return SslProvider.JDK;
        }
    }

    /** The operator's default certificate from files. */
    public static SslContext fromFiles(Path chainPem, Path keyPem) {
        try {
            return fromPem(Files.readString(chainPem), Files.readString(keyPem));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the router's TLS certificate " + chainPem + " or key "
                    + keyPem + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server context for a PEM chain (leaf first) and PKCS#8 key (EC, RSA or Ed25519) that belong together.
     *
     * @throws IllegalArgumentException when they do not parse or do not belong together
     */
    public static SslContext fromPem(String chainPem, String keyPem) {
        if (chainPem == null || keyPem == null) throw new IllegalArgumentException("certificate chain or key missing");
        PemKeyPair pair = PemKeyPair.parse(chainPem, keyPem);
        try {
            return SslContextBuilder.forServer(pair.key(), pair.chain())
                    .sslProvider(provider())
                    .protocols(PROTOCOLS)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(ALPN)
                    .sessionCacheSize(SESSION_CACHE)
                    .sessionTimeout(SESSION_TIMEOUT_SECONDS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad certificate or key: " + e.getMessage(), e);
        }
    }
}
