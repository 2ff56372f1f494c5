package io.slipway.api.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Tells the platform's own presigned object-store URLs (a {@code POST /sources} URL, the git-gateway's source
 * tarball) from any other URL. Those are fetched without the outbound policy: the store is the platform's (often
 * on 127.0.0.1 in {@code slipway up}) and answers only requests it signed. Everything else a user gives is theirs.
 */
@Component
public class OwnStoreUrls {
    private final ObjectStorage storage;
    // presigned URLs of our own store: no redirects to follow, nothing user-controlled in the host
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile URI base;

    public OwnStoreUrls(ObjectStorage storage) {
        this.storage = storage;
    }

    public boolean isOwn(String url) {
        if (url == null || !storage.available()) return false;
        URI store = base();
        try {
            URI u = new URI(url);
            if (u.getRawUserInfo() != null || u.getRawPath() == null || u.getRawPath().contains("..")) return false;
            return store.getScheme().equalsIgnoreCase(u.getScheme())
                    && store.getHost().equalsIgnoreCase(Objects.requireNonNullElse(u.getHost(), ""))
                    && port(store) == port(u)
                    && u.getRawPath().startsWith(store.getRawPath())
                    && u.getRawQuery() != null && u.getRawQuery().contains("X-Amz-Signature=");
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * GETs a presigned URL of the platform's own store (one {@link #isOwn} accepts, or one {@link ObjectStorage}
     * just signed) into {@code file}, refusing more than {@code maxBytes}.
     */
    public void download(String presignedUrl, Path file, long maxBytes, Duration timeout) throws IOException {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(presignedUrl)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading from the object store");
        }
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(file)) {
            if (response.statusCode() != 200) throw new IOException("the object store answered " + response.statusCode());
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
                if (total > maxBytes) throw new IOException("the object is larger than " + maxBytes + " bytes");
                out.write(buffer, 0, n);
            }
        }
    }

    /** {@code scheme://host:port/bucket/}, as the presigner writes it. */
    private URI base() {
        URI b = base;
        if (b == null) {
            String probe = storage.presignGet("probe");
            b = URI.create(probe.substring(0, probe.indexOf("probe?")));
            base = b;
        }
        return b;
    }

    private static int port(URI u) {
        if (u.getPort() > 0) return u.getPort();
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
