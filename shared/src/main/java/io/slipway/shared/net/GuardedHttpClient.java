package io.slipway.shared.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP(S) requests to user-given URLs: every connection goes only to addresses the {@link OutboundPolicy}
 * checked (its resolver is the client's only one, and literal hosts are checked before the request), redirects
 * are followed by hand so each hop is checked again, downloads stop at a size and a time cap, and nothing is
 * decompressed or cached on the way. No proxy from the environment is used.
 */
public final class GuardedHttpClient implements Closeable {
    public static final int MAX_REDIRECTS = 5;
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outbound-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final OutboundPolicy policy;
    private final CloseableHttpClient client;

    public GuardedHttpClient(OutboundPolicy policy, Duration connectTimeout, Duration readTimeout) {
        this.policy = policy;
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(new PolicyDnsResolver(policy))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(connectTimeout))
                                .setSocketTimeout(Timeout.of(readTimeout))
                                .build())
                        .build())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableAuthCaching()
                .setUserAgent("Slipway")
                .build();
    }

    public OutboundPolicy policy() {
        return policy;
    }

    /** The download failed for a reason the user can act on (refused, too large, too slow, an HTTP status). */
    public static final class DownloadFailedException extends IOException {
        public DownloadFailedException(String message) {
            super(message);
        }
    }

    /**
     * GETs {@code url} into {@code file}, following up to {@link #MAX_REDIRECTS} redirects (each checked).
     *
     * @throws OutboundRefusedException when a hop goes to a refused address
     * @throws DownloadFailedException  when the answer is not 200, or is larger than {@code maxBytes}, or the
     *                                  whole download takes longer than {@code timeout}
     */
    public void download(String url, Path file, long maxBytes, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI uri = parse(url);
        for (int hop = 0; ; hop++) {
            HttpGet get = new HttpGet(withoutUserInfo(uri));
            authorize(get, uri);
            try (Deadline d = new Deadline(get, deadline)) {
                try (ClassicHttpResponse response = open(get, uri, d, timeout)) {
                    int status = response.getCode();
                    if (status >= 300 && status < 400 && status != 304) {
                        Header location = response.getFirstHeader("Location");
                        if (location == null) throw new DownloadFailedException("HTTP " + status + " without a Location");
                        if (hop >= MAX_REDIRECTS) throw new DownloadFailedException("more than " + MAX_REDIRECTS + " redirects");
                        uri = redirectTarget(uri, location.getValue());
                        EntityUtils.consumeQuietly(response.getEntity());
                        continue;
                    }
                    if (status != 200) throw new DownloadFailedException("HTTP " + status);
                    HttpEntity entity = response.getEntity();
                    if (entity != null && entity.getContentLength() > maxBytes) throw tooLarge(maxBytes);
                    copy(entity, file, maxBytes, d, timeout);
                    return;
                } catch (IOException e) {
                    if (d.fired.get()) throw tooSlow(timeout);
                    throw e;
                }
            }
        }
    }

    /** POSTs {@code body} to {@code url} (no redirects followed) and answers the status. */
    public int post(String url, Map<String, String> headers, byte[] body, String contentType, Duration timeout)
            throws IOException {
        URI uri = parse(url);
        HttpPost post = new HttpPost(withoutUserInfo(uri));
        authorize(post, uri);
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.parse(contentType)));
        try (Deadline d = new Deadline(post, System.nanoTime() + timeout.toNanos());
             ClassicHttpResponse response = open(post, uri, d, timeout)) {
            EntityUtils.consumeQuietly(response.getEntity());
            return response.getCode();
        }
    }

    private ClassicHttpResponse open(HttpUriRequestBase request, URI uri, Deadline d, Duration timeout) throws IOException {
        policy.resolve(uri.getHost()); // literal hosts skip the resolver; names are checked again when connecting
        try {
            return client.executeOpen(null, request, null);
        } catch (PolicyDnsResolver.Refused e) {
            throw e.refusal;
        } catch (IOException e) {
            if (d.fired.get()) throw tooSlow(timeout);
            throw e;
        }
    }

    private static void copy(HttpEntity entity, Path file, long maxBytes, Deadline d, Duration timeout) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (entity == null) return;
            try (InputStream in = entity.getContent()) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                    if (total > maxBytes) throw tooLarge(maxBytes);
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            Files.deleteIfExists(file);
            if (d.fired.get()) throw tooSlow(timeout);
            throw e;
        }
    }

    static URI parse(String url) throws DownloadFailedException {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new DownloadFailedException("not an http(s) URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new DownloadFailedException("not a valid URL");
        }
    }

    private static URI redirectTarget(URI from, String location) throws DownloadFailedException {
        try {
            return parse(from.resolve(new URI(location.trim())).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new DownloadFailedException("redirected to an invalid URL");
        }
    }

    /** Credentials in the URL become Basic authentication (the client refuses user info in a request URI). */
    private static void authorize(HttpUriRequestBase request, URI uri) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) return;
        String plain = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
        request.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
    }

    private static URI withoutUserInfo(URI uri) throws DownloadFailedException {
        if (uri.getRawUserInfo() == null) return uri;
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (URISyntaxException e) {
            throw new DownloadFailedException("not a valid URL");
        }
    }

    private static DownloadFailedException tooLarge(long maxBytes) {
        return new DownloadFailedException("larger than the " + Sizes.describe(maxBytes) + " limit");
    }

    private static DownloadFailedException tooSlow(Duration timeout) {
        return new DownloadFailedException("took longer than the " + timeout.toSeconds() + " s limit");
    }

    /** Aborts the request at the deadline, so a slow trickle cannot hold a worker for ever. */
    private static final class Deadline implements AutoCloseable {
        final AtomicBoolean fired = new AtomicBoolean();
        private final ScheduledFuture<?> task;

        Deadline(HttpUriRequestBase request, long deadlineNanos) {
            long delay = Math.max(0, deadlineNanos - System.nanoTime());
            task = DEADLINES.schedule(() -> {
                fired.set(true);
                request.cancel();
            }, delay, TimeUnit.NANOSECONDS);
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
