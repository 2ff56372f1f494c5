package io.slipway.dynoagent.assignments;

import io.slipway.shared.agents.Assignment;
import io.slipway.shared.dynos.DynoSize;

/**
 * The limits a dyno gets from its size. The sizes themselves are the platform's one list, {@link DynoSize}; the
 * api-server sends each assignment's {@code memory_mb}, and the size's memory is the fallback when it does not.
 */
public final class DynoSizes {
    private DynoSizes() {}

    /** The memory limit of an assignment in bytes: its {@code memory_mb}, else its size's. */
    public static long memoryBytes(Assignment a) {
        int mb = a.memoryMb() > 0 ? a.memoryMb() : DynoSize.memoryMbOf(a.size());
        return (long) mb * 1024 * 1024;
    }

    /** The process/thread limit of an assignment: its {@code max_pids}, else 512. */
    public static int pids(Assignment a) {
        return a.maxPids() > 0 ? a.maxPids() : 512;
    }

    /**
     * The size of a dyno's {@code /app} file system: four times its memory, at least 2 GB (a Heroku slug may be
     * 500 MB compressed; the rest is the app's scratch space). {@code /tmp} is a tmpfs of half the memory.
     */
    public static long diskBytes(Assignment a) {
        return Math.max(2048L << 20, 4 * memoryBytes(a));
    }
}
