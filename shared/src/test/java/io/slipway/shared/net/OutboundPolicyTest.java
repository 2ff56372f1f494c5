package io.slipway.shared.net;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The hosts a hostile user would hand the platform to reach its inside, each refused. */
class OutboundPolicyTest {
    private final OutboundPolicy policy = OutboundPolicy.allowing("");

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "169.254.169.254", "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1",
            "0.0.0.0", "255.255.255.255", "224.0.0.1", "[::1]", "::1", "[::]", "[fe80::1]", "[fd00::1]", "[ff02::1]",
            "localhost", "[::ffff:127.0.0.1]", "[::ffff:169.254.169.254]", "[::127.0.0.1]", "[64:ff9b::a00:1]",
            "[2002:7f00:1::]", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "017700000001", "0x7f000001"})
    void refusesInternalAddressesInEveryForm(String host) {
        OutboundRefusedException e = assertThrows(OutboundRefusedException.class, () -> policy.resolve(host));
        assertTrue(e.getMessage().contains("refused") || e.getMessage().contains("unusual form"), e.getMessage());
    }

    @Test
    void refusesTheHostsOwnAddresses() throws Exception {
        for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                assertTrue(policy.whyRefused(a) != null, a + " is this host's own");
            }
        }
    }

    @Test
    void allowsPublicAddresses() {
        assertDoesNotThrow(() -> policy.check("example", InetAddress.getByName("93.184.215.14")));
        assertDoesNotThrow(() -> policy.check("example", InetAddress.getByName("2606:2800:21f:cb07:6820:80da:af6b:8b2c")));
    }

    @Test
    void anOperatorAllowedRangeIsAllowedAndNothingElse() throws Exception {
        OutboundPolicy p = OutboundPolicy.fromEnv(Map.of(OutboundPolicy.ALLOW_ENV, "127.0.0.2/32, 10.1.0.0/16"));
        assertDoesNotThrow(() -> p.resolve("127.0.0.2"));
        assertDoesNotThrow(() -> p.resolve("10.1.2.3"));
        assertThrows(OutboundRefusedException.class, () -> p.resolve("127.0.0.1"));
        assertThrows(OutboundRefusedException.class, () -> p.resolve("10.2.0.1"));
        assertThrows(IllegalArgumentException.class, () -> OutboundPolicy.fromEnv(Map.of(OutboundPolicy.ALLOW_ENV, "nope")));
    }
}
