package io.slipway.api.storage;

import java.net.URI;
import java.net.URISyntaxException;
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
