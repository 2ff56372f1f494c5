package io.slipway.router.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLIPWAY_ROUTER_PROXY_PROTOCOL: off unless asked for (no balancer in `./slipway up`), a typo fails the start. */
class RouterConfigProxyProtocolTest {
    static RouterConfig with(String value) {
        Map<String, String> env = RouterConfigTlsTest.base();
        if (value != null) env.put("SLIPWAY_ROUTER_PROXY_PROTOCOL", value);
        return RouterConfig.fromEnv(env);
    }

    @Test
    void offByDefault() {
        assertFalse(with(null).proxyProtocol());
        assertFalse(with(" ").proxyProtocol());
        assertFalse(with("off").proxyProtocol());
    }

    @Test
    void onForEitherVersion() {
        assertTrue(with("v2").proxyProtocol());
        assertTrue(with("V1").proxyProtocol());
        assertTrue(with("on").proxyProtocol());
    }

    @Test
    void aTypoIsNoSilentDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> with("yes"));
        assertTrue(e.getMessage().contains("SLIPWAY_ROUTER_PROXY_PROTOCOL"), e.getMessage());
    }
}
