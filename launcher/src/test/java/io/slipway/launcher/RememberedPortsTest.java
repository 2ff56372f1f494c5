package io.slipway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.net.LocalPorts;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberedPortsTest {
    @Test
    void chosenPortsAreBelowTheEphemeralRangeAndFreeOnTheLaunchersAddress() throws Exception {
        int ephemeralLow = LocalPorts.ephemeralRangeStart(); // read as the kernel states it: LocalPortsTest
        for (int i = 0; i < 50; i++) {
            int port = RememberedPorts.freePort();
            if (ephemeralLow - LocalPorts.FIRST_CHOSEN >= 1000) {
                assertTrue(port >= LocalPorts.FIRST_CHOSEN && port < ephemeralLow, port + " is in the ephemeral range");
            }
            assertTrue(RememberedPorts.isFree(port), port + " is not free");
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName(LauncherConfig.HOST), port));
                assertFalse(RememberedPorts.isFree(port), port + " is taken and still called free");
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
