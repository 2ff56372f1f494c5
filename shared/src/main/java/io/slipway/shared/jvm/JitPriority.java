package io.slipway.shared.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Puts this JVM's JIT compiler threads ahead of its other threads, once a component has started: called by the
 * mains of {@code slipway up}, the api-server and the router when they are ready.
 *
 * <p>Why: a JVM on a 2-core machine has one C2 compiler thread, and under load it is one thread among 50 request
 * threads, so the hot paths stayed in their slowest compiled tiers for minutes (three minutes into a benchmark the
 * api-server's TLS encryption still ran C1-compiled, without the AES-GCM intrinsic). With the compiler threads at
 * nice -10 the same benchmark served 1.3 times the reads and 1.6 times the PATCHes (medians; docs/benchmarks.md,
 * "Session 15"). Why only once started: from the JVM's launch (-XX:CompilerThreadPriority) the compilers took CPU
 * from the start-up's main thread, and a start used 1-4 CPU s more ({@code up} answered up to 1.8 s later).
 *
 * <p>How: {@code renice} on the threads named {@code C1/C2 CompilerThread} (a thread is a process to
 * setpriority(2)). Only root, or a user whose RLIMIT_NICE allows it (systemd's {@code LimitNICE=}, as in
 * deploy/systemd), may lower a nice value; for anyone else this does nothing and says so once. Compiler threads
 * the JVM adds later under a long compile queue (machines with more cores) keep the normal priority.
 * {@code SLIPWAY_JIT_NICE}: the nice value (default -10), or {@code off}.
 */
public final class JitPriority {
    private static final Logger LOG = Logger.getLogger(JitPriority.class.getName());
    static final int DEFAULT_NICE = -10;

    private JitPriority() {}

    /** Raises the compiler threads' priority as {@code SLIPWAY_JIT_NICE} says; never throws. */
    public static void raiseAfterStart() {
        try {
            Integer nice = niceFrom(System.getenv());
            if (nice == null) return;
            List<Long> threads = compilerThreads(Path.of("/proc/self/task"));
            if (threads.isEmpty()) return;
            if (renice(nice, threads)) {
                LOG.info("JIT compiler threads " + threads + " at nice " + nice);
            } else {
                LOG.info("JIT compiler threads left at their priority: this user may not set nice " + nice
                        + " (root or systemd's LimitNICE= may; SLIPWAY_JIT_NICE=off silences this)");
            }
        } catch (IOException | RuntimeException e) {
            LOG.info("JIT compiler threads left at their priority: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The nice value asked for; null when turned off. */
    static Integer niceFrom(Map<String, String> env) {
        String value = env.getOrDefault("SLIPWAY_JIT_NICE", "").trim();
        if (value.isEmpty()) return DEFAULT_NICE;
        if (value.equals("off")) return null;
        int nice;
        try {
            nice = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SLIPWAY_JIT_NICE must be a nice value (-20..19) or off, not: " + value);
        }
        if (nice < -20 || nice > 19) throw new IllegalArgumentException("SLIPWAY_JIT_NICE out of -20..19: " + value);
        return nice;
    }

    /** The ids of the threads under {@code tasks} (a /proc/PID/task directory) whose name is a JIT compiler's. */
    static List<Long> compilerThreads(Path tasks) throws IOException {
        List<Long> ids = new ArrayList<>();
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) all::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue; // the thread ended while we listed
                }
                // HotSpot names them "C1 CompilerThread0", "C2 CompilerThread0"; comm keeps 15 characters
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    ids.add(Long.parseLong(task.getFileName().toString()));
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /** {@code renice -n NICE -p TID...}, its output discarded (never the component's own stdio). */
    static boolean renice(int nice, List<Long> threads) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("renice", "-n", String.valueOf(nice), "-p"));
        threads.forEach(t -> command.add(String.valueOf(t)));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }
}
