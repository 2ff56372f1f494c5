package io.slipway.shared.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JitPriority}: this very JVM's compiler threads, reniced for real (and put back). */
class JitPriorityTest {
    @Test
    void theCompilerThreadsOfThisJvmAreFoundAndReniced() throws Exception {
        List<Long> threads = JitPriority.compilerThreads(Path.of("/proc/self/task"));
        assertFalse(threads.isEmpty(), "a HotSpot JVM has C1 and C2 compiler threads");
        assumeTrue("root".equals(System.getProperty("user.name")), "lowering a nice value needs root here");
        try {
            assertEquals(true, JitPriority.renice(-10, threads));
            for (long t : threads) assertEquals(-10, nice(t));
            assertEquals(0, nice(ProcessHandle.current().pid()), "only the compiler threads move");
        } finally {
            JitPriority.renice(0, threads);
        }
        for (long t : threads) assertEquals(0, nice(t));
    }

    @Test
    void onlyThreadsNamedAsHotSpotsCompilersAreTaken(@TempDir Path tasks) throws Exception {
        task(tasks, 11, "C2 CompilerThre");
        task(tasks, 12, "C1 CompilerThre");
        task(tasks, 13, "main");
        task(tasks, 14, "C2 Compiler"); // a tenant cannot name a platform thread, but a lookalike is not taken
        Files.createDirectories(tasks.resolve("15")); // ended while listed: no comm
        assertEquals(List.of(11L, 12L), JitPriority.compilerThreads(tasks));
    }

    @Test
    void theNiceValueIsChosenOrTurnedOff() {
        assertEquals(-10, JitPriority.niceFrom(Map.of()));
        assertEquals(-5, JitPriority.niceFrom(Map.of("SLIPWAY_JIT_NICE", "-5")));
        assertNull(JitPriority.niceFrom(Map.of("SLIPWAY_JIT_NICE", "off")));
        assertThrows(IllegalArgumentException.class, () -> JitPriority.niceFrom(Map.of("SLIPWAY_JIT_NICE", "-10; rm")));
        assertThrows(IllegalArgumentException.class, () -> JitPriority.niceFrom(Map.of("SLIPWAY_JIT_NICE", "-21")));
    }

    @Test
    void aFailedReniceIsAFalseNotAnException() throws Exception {
        // (a user who may not lower a nice value gets the same exit status from renice; this machine's root cannot
        // drop that right to show it, so a thread that does not exist stands in)
        assertEquals(false, JitPriority.renice(-10, List.of(Long.MAX_VALUE)));
    }

    private static void task(Path tasks, long id, String name) throws Exception {
        Files.writeString(Files.createDirectories(tasks.resolve(String.valueOf(id))).resolve("comm"), name + "\n");
    }

    /** Field 19 of /proc/self/task/TID/stat. */
    private static int nice(long tid) throws Exception {
        String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
    }
}
