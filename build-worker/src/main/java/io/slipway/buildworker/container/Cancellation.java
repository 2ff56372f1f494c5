package io.slipway.buildworker.container;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets someone else stop a build: the lease keeper when the api-server says the lease is lost, or the worker
 * shutting down. Whatever runs (a container) registers how to stop itself.
 */
public final class Cancellation {
    private final List<Runnable> listeners = new ArrayList<>();
    private String reason;

    public void cancel(String why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) return;
            reason = why;
            toRun = List.copyOf(listeners);
        }
        toRun.forEach(Runnable::run);
    }

    public synchronized boolean isCancelled() {
        return reason != null;
    }

    public synchronized String reason() {
        return reason;
    }

    /** Runs {@code onCancel} when cancelled (at once if already); close the answer to stop listening. */
    public AutoCloseable onCancel(Runnable onCancel) {
        boolean already;
        synchronized (this) {
            already = reason != null;
            if (!already) listeners.add(onCancel);
        }
        if (already) onCancel.run();
        return () -> {
            synchronized (this) {
                listeners.remove(onCancel);
            }
        };
    }
}
