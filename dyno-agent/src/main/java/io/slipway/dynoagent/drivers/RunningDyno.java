package io.slipway.dynoagent.drivers;

import java.io.OutputStream;
import java.time.Duration;

/** A started dyno process. */
public interface RunningDyno {
    enum Signal { TERM, KILL }

    /** The host pid of the process the driver started (runc: the {@code runc run} process). */
    long pid();

    /** The dyno's stdin; closing it gives the process end-of-file. */
    OutputStream stdin();

    /**
     * Waits until the process has exited and its output has been delivered. Answers the exit code
     * ({@code 128 + n} for a process ended by signal n), or null when it is still running after {@code timeout}.
     */
    Integer waitFor(Duration timeout) throws InterruptedException;

    /** Sends a signal to every process of the dyno. */
    void signal(Signal signal);

    /** Releases what the driver holds for the dyno (the runc container); call after it exited. */
    void cleanup();
}
