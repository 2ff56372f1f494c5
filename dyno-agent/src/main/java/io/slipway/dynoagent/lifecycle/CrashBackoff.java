package io.slipway.dynoagent.lifecycle;

import java.time.Duration;

/**
 * Heroku's crash cool-off for one dyno: the first restart after a crash is immediate, then the wait doubles from
 * {@code base} (10 s, 20 s, ...) up to {@code cap}. A dyno that ran longer than the cap before it crashed starts
 * a fresh count, so one crash a day never waits; an asked-for restart resets the count too.
 */
final class CrashBackoff {
    private final long baseMillis;
    private final long capMillis;
    private final Duration cap;
    private int crashes;

    CrashBackoff(Duration base, Duration cap) {
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.cap = cap;
    }

    /** Counts a crash of a process that ran {@code upFor}; answers how long to wait before the next start. */
    Duration crashedAfter(Duration upFor) {
        if (upFor.compareTo(cap) > 0) crashes = 0;
        return crashed();
    }

    /** Counts a crash before the process ran (no slug, start refused, boot timeout); answers the wait. */
    Duration crashed() {
        crashes++;
        return Duration.ofMillis(delayMillis());
    }

    /** An asked-for restart: the next crash restarts at once again. */
    void reset() {
        crashes = 0;
    }

    private long delayMillis() {
        if (crashes <= 1) return 0;
        long millis = baseMillis;
        for (int i = 2; i < crashes && millis < capMillis; i++) millis *= 2;
        return Math.min(millis, capMillis);
    }
}
