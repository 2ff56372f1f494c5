package io.slipway.launcher;

import io.slipway.router.Router;
import io.slipway.router.config.RouterConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the router inside the launcher's JVM on {@code routerPort} (HTTP) and {@code tlsPort} (HTTPS, serving the local
 * CA's wildcard for the apps domain unless an app has its own certificate), following the local api-server's routes.
 * It listens on all interfaces by default, as a router does; {@code SLIPWAY_ROUTER_BIND=127.0.0.1} keeps it local.
 */
final class RouterRunner {
    private RouterRunner() {}

    static AutoCloseable start(int routerPort, int tlsPort, LocalCertificateAuthority.AppsCertificate appsCert,
                               Path caCert, String internalUrl, String token) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SLIPWAY_INTERNAL_API_URL", internalUrl);
        env.put("SLIPWAY_INTERNAL_TOKEN", token);
        env.put("SLIPWAY_CA_FILE", caCert.toString());
        env.put("SLIPWAY_ROUTER_PORT", String.valueOf(routerPort));
        env.put("SLIPWAY_ROUTER_TLS_PORT", String.valueOf(tlsPort));
        env.put("SLIPWAY_ROUTER_TLS_CERT_FILE", appsCert.chain().toString());
        env.put("SLIPWAY_ROUTER_TLS_KEY_FILE", appsCert.key().toString());
        Router router = new Router(RouterConfig.fromEnv(env));
        try {
            router.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the router started", e);
        }
        return router;
    }
}
