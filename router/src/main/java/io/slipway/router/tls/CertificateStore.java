package io.slipway.router.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.slipway.shared.tls.TlsEndpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * The certificate for each TLS server name: an app endpoint's when one of its hostnames is exactly the name, else
 * the operator's default one. The handshake path ({@link #map}) reads one immutable map through a volatile field
 * and takes no lock; changes (one app at a time, from the event stream) build a new map and swap it in. A TLS
 * context is built once per endpoint version (id and {@code updated_at}) and reused until that version changes.
 */
public final class CertificateStore implements Mapping<String, SslContext> {
    private static final Logger LOG = Logger.getLogger(CertificateStore.class.getName());

    private record Built(TlsEndpoint endpoint, SslContext context) {}

    private final SslContext fallback;
    /** Writers only (serialised by {@code synchronized}): each app's endpoints with their contexts. */
    private final Map<UUID, List<Built>> apps = new HashMap<>();
    private volatile Map<String, SslContext> byName = Map.of();

    public CertificateStore(SslContext fallback) {
        this.fallback = fallback;
    }

    /** The context for an SNI name (null: the client sent none). Called on the event loop for every handshake. */
    @Override
    public SslContext map(String serverName) {
        if (serverName == null) return fallback;
        SslContext c = byName.get(serverName.toLowerCase(Locale.ROOT));
        return c == null ? fallback : c;
    }

    /** The operator's default certificate, served for every name no app endpoint claims. */
    public SslContext fallback() {
        return fallback;
    }

    /** Replaces every app's endpoints (the full list from the api-server). */
    public synchronized void replaceAll(Map<UUID, List<TlsEndpoint>> all) {
        Map<UUID, List<Built>> previous = new HashMap<>(apps);
        apps.clear();
        for (Map.Entry<UUID, List<TlsEndpoint>> e : all.entrySet()) {
            List<Built> built = build(e.getValue(), previous.get(e.getKey()));
            if (!built.isEmpty()) apps.put(e.getKey(), built);
        }
        publish();
    }

    /** Replaces one app's endpoints (empty: it has none any more, or is gone). */
    public synchronized void put(UUID appId, List<TlsEndpoint> endpoints) {
        List<Built> built = build(endpoints, apps.get(appId));
        if (built.isEmpty()) apps.remove(appId);
        else apps.put(appId, built);
        publish();
    }

    /** How many server names have their own certificate. */
    public int names() {
        return byName.size();
    }

    private List<Built> build(List<TlsEndpoint> endpoints, List<Built> before) {
        Map<String, Built> reusable = new HashMap<>();
        if (before != null) for (Built b : before) reusable.put(b.endpoint().version(), b);
        List<Built> out = new java.util.ArrayList<>();
        for (TlsEndpoint e : endpoints) {
            Built same = reusable.get(e.version());
            if (same != null) {
                out.add(new Built(e, same.context())); // hostnames may have moved; the certificate did not
                continue;
            }
            try {
                out.add(new Built(e, TlsContexts.fromPem(e.certificateChain(), e.privateKey())));
            } catch (IllegalArgumentException ex) {
                // the api-server validates; a bad one here must not take the other names down with it
                LOG.warning("SNI endpoint " + e.id() + " (" + e.name() + ") not served, its names get the default"
                        + " certificate: " + ex.getMessage());
            }
        }
        return out;
    }

    private void publish() {
        Map<String, SslContext> next = new HashMap<>();
        for (List<Built> list : apps.values()) {
            for (Built b : list) {
                for (String host : b.endpoint().hostnames()) next.putIfAbsent(host, b.context());
            }
        }
        byName = Map.copyOf(next);
    }
}
