package io.slipway.shared.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: after {@code n} consecutive failures the wait is a random value between half
 * and all of {@code min(max, initial * 2^(n-1))}. The jitter matters when a server comes back: without it every
 * agent, worker and router that lost it would reconnect in the same instant, again and again.
 */
public final class Backoff {
    private static final int MAX_DOUBLINGS = 30;
    private final long initialMillis;
    private final long maxMillis;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero()) throw new IllegalArgumentException("initial must be > 0");
        this.initialMillis = initial.toMillis();
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** 0.5 s doubling up to 30 s: the platform's default for reaching the api-server or the object store. */
    public static Backoff standard() {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    /** The wait after {@code failures} consecutive failures (0: none, no wait). */
    public long delayMillis(int failures) {
        if (failures <= 0) return 0;
        long base = Math.min(maxMillis, initialMillis << Math.min(failures - 1, MAX_DOUBLINGS));
        long half = base / 2;
        return half + ThreadLocalRandom.current().nextLong(base - half + 1);
    }

    /** The longest wait this backoff ever asks for. */
    public long maxMillis() {
        return maxMillis;
    }
}
