package io.slipway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedPortsTest {
    /** The range as the kernel states it, read by {@code cat}, not by the code under test. */
    private static int kernelEphemeralStart() throws Exception {
        Process cat = new ProcessBuilder("cat", "/proc/sys/net/ipv4/ip_local_port_range").redirectErrorStream(true).start();
        String out = new String(cat.getInputStream().readAllBytes()).trim();
        assertEquals(0, cat.waitFor(), out);
        return Integer.parseInt(out.split("\\s+")[0]);
    }

    @Test
    void theEphemeralRangeIsReadAsTheKernelStatesIt() throws Exception {
        // Files.readString of this /proc file returned "3" (a few bytes of it): every port then came from the range
        assertEquals(kernelEphemeralStart(), RememberedPorts.ephemeralRangeStart());
    }

    @Test
    void chosenPortsAreBelowTheEphemeralRangeAndFree() throws Exception {
        int ephemeralLow = kernelEphemeralStart();
        for (int i = 0; i < 50; i++) {
            int port = RememberedPorts.freePort();
            // an outgoing connection can never be given this port while the component has not bound it yet
            if (ephemeralLow - RememberedPorts.FIRST_CHOSEN >= 1000) {
                assertTrue(port >= RememberedPorts.FIRST_CHOSEN && port < ephemeralLow, port + " is not in [10000, " + ephemeralLow + ")");
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(LauncherConfig.HOST), port));
            }
        }
    }

    @Test
    void aRememberedPortTakenMeanwhileIsReplacedAndTheNewOneRemembered(@TempDir Path dir) throws Exception {
        RememberedPorts ports = new RememberedPorts(dir.resolve("ports.properties"));
        int first = ports.port("router");
        assertEquals(first, ports.port("router"));
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName(LauncherConfig.HOST), first));
            int second = ports.port("router");
            assertNotEquals(first, second);
            assertEquals(second, new RememberedPorts(dir.resolve("ports.properties")).port("router"));
        }
    }
}
