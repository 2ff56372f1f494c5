package io.slipway.router.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTPS listener's settings from the environment: off unless its port is set, never half-configured. */
class RouterConfigTlsTest {
    static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("SLIPWAY_INTERNAL_API_URL", "http://127.0.0.1:5003");
        env.put("SLIPWAY_INTERNAL_TOKEN", "t");
        return env;
    }

    @Test
    void offWithoutAPort() {
        assertNull(RouterConfig.fromEnv(base()).tls());
    }

    @Test
    void portCertificateAndKey() {
        Map<String, String> env = base();
        env.put("SLIPWAY_ROUTER_TLS_PORT", "8443");
        env.put("SLIPWAY_ROUTER_TLS_CERT_FILE", "/etc/slipway/tls/apps.pem");
        env.put("SLIPWAY_ROUTER_TLS_KEY_FILE", " /etc/slipway/tls/apps-key.pem ");
        RouterConfig.Tls tls = RouterConfig.fromEnv(env).tls();
        assertEquals(8443, tls.port());
        assertEquals(Path.of("/etc/slipway/tls/apps.pem"), tls.certFile());
        assertEquals(Path.of("/etc/slipway/tls/apps-key.pem"), tls.keyFile());
        assertEquals(0, tls.publicPort(), "redirects name the listener's own port unless told otherwise");
    }

    @Test
    void thePublicPortRedirectsNameBehindABalancer() {
        Map<String, String> env = base();
        env.put("SLIPWAY_ROUTER_TLS_PORT", "8443");
        env.put("SLIPWAY_ROUTER_TLS_CERT_FILE", "/etc/slipway/tls/apps.pem");
        env.put("SLIPWAY_ROUTER_TLS_KEY_FILE", "/etc/slipway/tls/apps-key.pem");
        env.put("SLIPWAY_ROUTER_TLS_PUBLIC_PORT", "443");
        assertEquals(443, RouterConfig.fromEnv(env).tls().publicPort());
        env.put("SLIPWAY_ROUTER_TLS_PUBLIC_PORT", "70000");
        assertThrows(IllegalArgumentException.class, () -> RouterConfig.fromEnv(env));
    }

    @Test
    void aPortWithoutTheDefaultCertificateIsAClearError() {
        Map<String, String> env = base();
        env.put("SLIPWAY_ROUTER_TLS_PORT", "8443");
        env.put("SLIPWAY_ROUTER_TLS_CERT_FILE", "/etc/slipway/tls/apps.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RouterConfig.fromEnv(env));
        assertTrue(e.getMessage().contains("SLIPWAY_ROUTER_TLS_KEY_FILE"), e.getMessage());
        env.put("SLIPWAY_ROUTER_TLS_KEY_FILE", "/k.pem");
        env.put("SLIPWAY_ROUTER_TLS_PORT", "https");
        e = assertThrows(IllegalArgumentException.class, () -> RouterConfig.fromEnv(env));
        assertTrue(e.getMessage().contains("SLIPWAY_ROUTER_TLS_PORT"), e.getMessage());
    }
}
