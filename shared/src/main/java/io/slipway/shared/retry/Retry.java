package io.slipway.shared.retry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Runs an I/O step again with {@link Backoff} while it fails for a reason that may pass (a refused or reset
 * connection, a timeout, a 5xx), for at most a time budget; a {@link Permanent} failure (a 4xx, a bad checksum
 * the caller decided not to retry) ends at once. Used for the object store and the api-server, which an
 * operator may restart or lose for a while without any build or dyno start failing for it.
 */
public final class Retry {
    private static final System.Logger LOG = System.getLogger(Retry.class.getName());

    private Retry() {}

    /** One attempt of the step. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    /** A failure that another attempt would not change. */
    public static final class Permanent extends IOException {
        public Permanent(String message) {
            super(message);
        }
    }

    /** An HTTP status as a failure: 5xx (and 408, 429) may pass, anything else is permanent. */
    public static IOException forStatus(String what, int status) {
        String message = what + " answered HTTP " + status;
        return status >= 500 || status == 408 || status == 429 ? new IOException(message) : new Permanent(message);
    }

    /**
     * Runs {@code attempt} until it succeeds, throws {@link Permanent}, or {@code budget} has passed since the
     * first attempt (then the last failure is thrown).
     */
    public static <T> T withBackoff(String what, Duration budget, Backoff backoff, Attempt<T> attempt)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        int failures = 0;
        while (true) {
            try {
                return attempt.run();
            } catch (Permanent e) {
                throw e;
            } catch (IOException e) {
                failures++;
                long wait = backoff.delayMillis(failures);
                if (System.nanoTime() + wait * 1_000_000 - deadline > 0) throw described(what, e);
                LOG.log(Level.WARNING, "{0} failed ({1}); attempt {2} in {3} ms",
                        what, e.toString(), failures + 1, wait);
                Thread.sleep(wait);
            }
        }
    }

    /**
     * The last failure, named when it has no message of its own: the JDK's HTTP client throws some (a connection
     * closed or refused) with none, and a dyno's start failure or a build's output would then say "null".
     */
    private static IOException described(String what, IOException e) {
        return e.getMessage() != null ? e : new IOException(what + " failed: " + e, e);
    }
}
