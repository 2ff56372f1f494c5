package io.slipway.shared.internalapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * One bulk POST written on the caller's thread over a blocking, kept-alive connection ({@link HttpURLConnection}),
 * for the log shipper: a busy router posts a few hundred KiB of log lines dozens of times a second. The JDK's
 * {@code HttpClient} moves such a body through its selector thread and worker pool in small writes, waking each
 * for every few KiB the receiver takes (in the router benchmark its threads used more CPU than the shipper that
 * wrote the lines); a blocking write waits in the kernel instead.
 *
 * <p>Same trust as the transport's client: its {@code SSLContext} (the cluster CA, name constraints), and the JDK's
 * default host name check, which for {@code HttpsURLConnection} is the handshake's HTTPS endpoint identification.
 * No proxy: the internal API is never reached through one. One {@link SSLSocketFactory} for every post, so the
 * JDK's keep-alive cache reuses the connection. A fixed-length body is never resent by the JDK on a stale
 * connection, so a batch is posted at most once per call.
 */
final class BlockingPost {
    private final String authorization;
    private final String userAgent;
    private final SSLSocketFactory tls;

    BlockingPost(String authorization, String userAgent, SSLSocketFactory tls) {
        this.authorization = authorization;
        this.userAgent = userAgent;
        this.tls = tls;
    }

    /** Posts {@code length} bytes of {@code body} to {@code url}; the answer's status, its body read and dropped. */
    int post(URI url, String contentType, byte[] body, int length, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection(Proxy.NO_PROXY);
        if (c instanceof HttpsURLConnection https) https.setSSLSocketFactory(tls);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        c.setConnectTimeout(millis);
        c.setReadTimeout(millis);
        c.setUseCaches(false);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(length);
        c.setRequestProperty("Authorization", authorization);
        c.setRequestProperty("Accept", "application/json");
        c.setRequestProperty("Content-Type", contentType);
        if (userAgent != null) c.setRequestProperty("User-Agent", userAgent);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body, 0, length);
        }
        int status = c.getResponseCode();
        // read to the end: only a connection whose answer was read whole goes back to the keep-alive cache
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) in.transferTo(OutputStream.nullOutputStream());
        }
        return status;
    }
}
