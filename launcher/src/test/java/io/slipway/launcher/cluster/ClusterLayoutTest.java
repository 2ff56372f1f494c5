package io.slipway.launcher.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cluster's names fit the kernel's limits and never repeat, so clusters can run side by side. */
class ClusterLayoutTest {
    private final ClusterLayout layout = new ClusterLayout("a1b2c3", "10.170.4", 20);

    @Test
    void hostsHaveDistinctAddressesAndLinkNamesWithinFifteenCharacters() {
        Set<String> addresses = new HashSet<>();
        Set<String> links = new HashSet<>();
        for (ClusterHost host : layout.hosts()) {
            assertTrue(addresses.add(host.address()), host.address());
            assertTrue(links.add(layout.veth(host)) && links.add(layout.vethPeer(host)), host.name());
            assertTrue(layout.veth(host).length() <= 15 && layout.vethPeer(host).length() <= 15, layout.veth(host));
            assertTrue(host.address().startsWith("10.170.4."), host.address());
        }
        assertTrue(layout.bridge().length() <= 15);
        assertEquals(9 + 20, layout.hosts().size());
    }

    @Test
    void agentIdsCarryTheClusterIdBecauseDynoNamespacesAreMachineWide() {
        assertEquals("agent-3.a1b2c3", layout.agentId(layout.host("agent-3")));
        assertEquals(List.of("api-1", "api-2"), layout.hostsRunning(Role.API_SERVER).stream().map(ClusterHost::name).toList());
    }

    @Test
    void refusesABadIdOrAgentCount() {
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout("../x", "10.170.4", 3));
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout("a1b2c3", "10.170.4", 0));
    }
}
