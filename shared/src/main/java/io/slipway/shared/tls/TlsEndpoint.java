package io.slipway.shared.tls;

import io.slipway.shared.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One SNI endpoint of an app as {@code GET /internal/tls/{app_id}} gives it (the E object of the contract): the
 * certificate chain (PEM, leaf first) and private key (PEM, PKCS#8) served for {@code hostnames} (the app's
 * domains that use it, lower-cased). {@code updatedAt} versions it: the router builds one TLS context per
 * (id, updatedAt).
 */
public record TlsEndpoint(String id, String name, List<String> hostnames, String certificateChain, String privateKey,
                          String updatedAt) {

    public TlsEndpoint {
        hostnames = List.copyOf(hostnames);
    }

    /** The key of this endpoint's version: a changed certificate gets a new one. */
    public String version() {
        return id + "@" + updatedAt;
    }

    /** The private key stays out of logs and assertion messages. */
    @Override
    public String toString() {
        return "TlsEndpoint[" + id + ", " + name + ", " + hostnames + ", updated " + updatedAt + "]";
    }

    static TlsEndpoint of(Map<String, Object> e) {
        List<String> hosts = new ArrayList<>();
        for (Object h : Json.array(e.get("hostnames"))) {
            if (h instanceof String s && !s.isBlank()) hosts.add(s.trim().toLowerCase(Locale.ROOT));
        }
        return new TlsEndpoint(String.valueOf(e.get("id")), String.valueOf(e.get("name")), hosts,
                (String) e.get("certificate_chain"), (String) e.get("private_key"), String.valueOf(e.get("updated_at")));
    }
}
