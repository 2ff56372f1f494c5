package io.slipway.shared.http;

import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;

/**
 * HTTP clients for components that call the api-server and presigned storage URLs. An operator (or the launcher,
 * with its self-signed CA) can add a CA file in PEM; its certificates are trusted (with their name constraints,
 * {@link CaTrust}) in addition to the JDK's own, so presigned URLs of a public S3 keep working next to a private
 * api-server certificate.
 */
public final class TrustedHttpClients {
    private TrustedHttpClients() {}

    public static HttpClient create(Path extraCaPemFile) {
        return builder(extraCaPemFile).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** A builder with the connect timeout and the trust of {@link #create}, for a component that tunes the rest. */
    public static HttpClient.Builder builder(Path extraCaPemFile) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (extraCaPemFile != null) builder.sslContext(sslContextTrusting(extraCaPemFile));
        return builder;
    }

    /** An SSL context trusting the JDK's default CAs plus the platform CA(s) in the PEM file ({@link CaTrust}). */
    public static SSLContext sslContextTrusting(Path pemFile) {
        return CaTrust.sslContextWithJdkCas(pemFile);
    }
}
