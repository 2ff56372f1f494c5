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
    @Test
    void chosenPortsAreBelowTheEphemeralRangeAndFree() throws Exception {
        int ephemeralLow = RememberedPorts.ephemeralRangeStart();
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
