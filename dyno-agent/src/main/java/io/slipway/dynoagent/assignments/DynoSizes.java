package io.slipway.dynoagent.assignments;

import java.util.Locale;

/** Heroku's dyno sizes and their memory, for assignments that do not carry {@code memory_mb}. */
public final class DynoSizes {
    private DynoSizes() {}

    /** Memory in MB for a size name (any case); unknown names get the smallest size's 512 MB. */
    public static int memoryMb(String size) {
        String s = size == null ? "" : size.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "standard-2x":
            case "2x":
                return 1024;
            case "performance-m":
            case "performance":
            case "px":
                return 2560;
            case "performance-l":
                return 14336;
            default: // free, eco, hobby, basic, standard-1x, 1x
                return 512;
        }
    }

    /** The memory limit of an assignment in bytes: its {@code memory_mb}, else its size's. */
    public static long memoryBytes(Assignment a) {
        int mb = a.memoryMb() > 0 ? a.memoryMb() : memoryMb(a.size());
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
