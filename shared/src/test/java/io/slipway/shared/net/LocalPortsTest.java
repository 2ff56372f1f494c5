package io.slipway.shared.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class LocalPortsTest {
    /** The range as the kernel states it, read by {@code cat}, not by the code under test. */
    static int kernelEphemeralStart() throws Exception {
        Process cat = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_local_port_range").redirectErrorStream(true).start();
        String out = new String(cat.getInputStream().readAllBytes()).trim();
        assertEquals(0, cat.waitFor(), out);
        return Integer.parseInt(out.split("\\s+")[0]);
    }

    @Test
    void theEphemeralRangeIsReadAsTheKernelStatesIt() throws Exception {
        // Files.readString of this /proc file returned "3" (a few bytes of it): every port then came from the range
        assertEquals(kernelEphemeralStart(), LocalPorts.ephemeralRangeStart());
    }

    @Test
    void chosenPortsAreBelowTheEphemeralRangeAndFreeOnEveryAddress() throws Exception {
        int ephemeralLow = kernelEphemeralStart();
        for (int i = 0; i < 50; i++) {
            int port = LocalPorts.freePort();
            // an outgoing connection can never be given this port while the server has not bound it yet
            if (ephemeralLow - LocalPorts.FIRST_CHOSEN >= 1000) {
                assertTrue(port >= LocalPorts.FIRST_CHOSEN && port < ephemeralLow, port + " is not in [10000, " + ephemeralLow + ")");
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port)); // the wildcard address: free there is free on every address
            }
        }
    }

    @Test
    void theProcessIsNeverGivenOneOfItsRecentPortsAgain() {
        // nothing binds them, as when a test chooses the platform's port and the platform chooses its others
        // before the first is bound: 2,000 picks from ~22,000 ports would repeat one almost surely by chance
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            int port = i % 2 == 0 ? LocalPorts.freePort() : LocalPorts.freePort("127.0.0.1");
            assertTrue(seen.add(port), "port " + port + " given twice, at pick " + i);
        }
    }

    @Test
    void aPortTakenOnOneAddressIsNotFreeThereNorOnTheWildcard() throws Exception {
        try (ServerSocket taken = new ServerSocket(LocalPorts.freePort("127.0.0.1"), 1, InetAddress.getByName("127.0.0.1"))) {
            assertFalse(LocalPorts.isFree("127.0.0.1", taken.getLocalPort()));
            assertFalse(LocalPorts.isFree("0.0.0.0", taken.getLocalPort()));
            assertTrue(LocalPorts.isFree("127.0.0.2", taken.getLocalPort()), "another address has its own ports");
        }
    }
}
