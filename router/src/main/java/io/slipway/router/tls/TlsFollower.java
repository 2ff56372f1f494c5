package io.slipway.router.tls;

import io.slipway.router.routes.FollowedState;
import io.slipway.shared.tls.TlsClient;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Keeps the {@link CertificateStore} current: the full list when the routes load, then one app's endpoints again on
 * every event that may change them ({@code sni_endpoint.*}, {@code domain.*}, {@code app.*},
 * {@code routes.changed}).
 */
public final class TlsFollower implements FollowedState {
    private static final Logger LOG = Logger.getLogger(TlsFollower.class.getName());
    private final TlsClient client;
    private final CertificateStore store;

    public TlsFollower(TlsClient client, CertificateStore store) {
        this.client = client;
        this.store = store;
    }

    @Override
    public Long load() throws Exception {
        TlsClient.Snapshot s = client.all();
        if (s.seq() == null) {
            LOG.warning("the api-server has no /internal/tls (older version?): serving the default certificate only");
        }
        store.replaceAll(s.apps());
        LOG.info("TLS endpoints loaded: " + store.names() + " server names with their own certificate");
        return s.seq();
    }

    @Override
    public boolean affectedBy(String type) {
        return type.startsWith("sni_endpoint.") || type.startsWith("domain.") || type.startsWith("app.")
                || "routes.changed".equals(type); // the api-server's catch-all: re-read this app
    }

    @Override
    public void reload(UUID appId) throws Exception {
        store.put(appId, client.one(appId));
    }
}
