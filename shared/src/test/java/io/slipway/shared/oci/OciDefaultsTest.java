package io.slipway.shared.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OciDefaultsTest {

    /** This JVM's hard limit on open files, as the kernel reports it (Long.MAX_VALUE when unlimited). */
    private static long hardLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
            }
        }
        throw new AssertionError("no open files line in /proc/self/limits");
    }

    @Test
    void aSmallWishIsGrantedAsIs() {
        assertEquals(64, OciDefaults.openFilesLimit(64));
    }

    @Test
    void aLargeWishIsCappedAtThisProcessesHardLimitSoRuncCanApplyIt() throws Exception {
        long hard = hardLimit();
        long granted = OciDefaults.openFilesLimit(Long.MAX_VALUE - 1);
        assertEquals(Math.min(hard, Long.MAX_VALUE - 1), granted);
        assertTrue(OciDefaults.openFilesLimit(10_000) <= hard);
    }
}
