package io.slipway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway images} and {@code images:import} are dispatched, documented, and fail clearly without a platform. */
class SlipwayImagesCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void helpListsTheImageCommands() {
        assertTrue(Slipway.HELP.contains("images:import NAME[:TAG] ROOTFS.tar"), Slipway.HELP);
        assertTrue(Slipway.HELP.contains("\n  images "), Slipway.HELP);
    }

    @Test
    void wrongArgumentsAreAUsageErrorAndNoRunningPlatformIsAnError() {
        assertEquals(2, Slipway.run(new String[] {"images:import", "only-a-name", "--data-dir", dataDir.toString()}));
        assertEquals(2, Slipway.run(new String[] {"images", "--bogus"}));
        assertEquals(1, Slipway.run(new String[] {"images", "--data-dir", dataDir.toString()}),
                "no platform runs on an empty data dir");
    }
}
