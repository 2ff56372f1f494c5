package io.slipway.router.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition with a generous deadline (no timed assertions: only a ceiling for broken cases). */
public final class Await {
    private Await() {}

    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
