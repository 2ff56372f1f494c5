package io.slipway.dynoagent.lifecycle;

import io.slipway.shared.agents.Assignment;
import java.time.Duration;

/**
 * What the agent wants of one dyno, changed from other threads (a newer assignment, a retirement, the agent's
 * shutdown) and read by the dyno's own thread, which it wakes: the current assignment, the restart generation
 * asked for, whether the dyno is to stop for good and whether a web dyno drains first.
 */
final class DynoOrders {
    /** What the running process must do now. */
    enum Order { CARRY_ON, STOP, RESTART }

    private final Object lock = new Object();
    private Assignment assignment;
    private long wantedGeneration;
    private boolean retiring;
    private boolean drain = true;

    DynoOrders(Assignment assignment) {
        this.assignment = assignment;
        this.wantedGeneration = assignment.restartGeneration();
    }

    /** A newer assignment for this dyno: maybe stopped, maybe a restart. */
    void update(Assignment newer) {
        synchronized (lock) {
            assignment = newer;
            if (!newer.wantsUp()) retiring = true;
            if (newer.restartGeneration() > wantedGeneration) wantedGeneration = newer.restartGeneration();
            lock.notifyAll();
        }
    }

    /** Stop for good (a web dyno drains first). */
    void retire() {
        synchronized (lock) {
            retiring = true;
            lock.notifyAll();
        }
    }

    /** Stop for good at once: the agent shuts down. */
    void shutdown() {
        synchronized (lock) {
            retiring = true;
            drain = false;
            lock.notifyAll();
        }
    }

    Assignment current() {
        synchronized (lock) {
            return assignment;
        }
    }

    long wantedGeneration() {
        synchronized (lock) {
            return wantedGeneration;
        }
    }

    boolean retiring() {
        synchronized (lock) {
            return retiring;
        }
    }

    boolean drainFirst() {
        synchronized (lock) {
            return drain;
        }
    }

    /** Whether the dyno ended as intended: retired, or a one-off (which never starts again). */
    boolean endedForGood() {
        synchronized (lock) {
            return retiring || assignment.oneOff();
        }
    }

    /** What a process started at {@code generation} must do now. */
    Order orderFor(long generation) {
        synchronized (lock) {
            if (retiring) return Order.STOP;
            if (wantedGeneration > generation) return Order.RESTART;
            return Order.CARRY_ON;
        }
    }

    /** Waits out a crash back-off; a stop or a restart asked for meanwhile ends the wait early. */
    void awaitBackoff(Duration wait, long generation) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (!retiring && wantedGeneration == generation) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) return;
                lock.wait(left);
            }
        }
    }
}
