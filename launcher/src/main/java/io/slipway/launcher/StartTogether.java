package io.slipway.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Starts services that do not need each other at once, each on its own thread, so a start takes as long as the
 * slowest of them rather than their sum (most of a start is waiting: for initdb and the postmaster, for class
 * loading on the other core). {@link #awaitAll} waits for every one to end, even when one failed, so nothing
 * is left running unknown to the caller, who gets each started service to stop later.
 */
final class StartTogether {
    private final List<CompletableFuture<? extends AutoCloseable>> starts = new ArrayList<>();

    /** Starts {@code start} on a thread of its own; its result may be null (nothing to stop). */
    <T extends AutoCloseable> CompletableFuture<T> start(String name, Callable<T> start) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(start.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "start-" + name);
        // a start stuck for good must not keep the JVM alive after Ctrl-C
        thread.setDaemon(true);
        thread.start();
        starts.add(result);
        return result;
    }

    /** Completes once every start has succeeded; exceptionally as soon as one failed. */
    CompletableFuture<Void> allStarted() {
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new));
    }

    /**
     * Waits for every start to end, hands each service that started to {@code started} in the order they were
     * started (so the caller stops them in reverse), then throws the first failure, if any.
     */
    void awaitAll(Consumer<AutoCloseable> started) {
        Throwable failure = null;
        for (CompletableFuture<? extends AutoCloseable> start : starts) {
            try {
                AutoCloseable service = start.join();
                if (service != null) started.accept(service);
            } catch (CompletionException e) {
                if (failure == null) failure = e.getCause();
            }
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error error) throw error;
        if (failure != null) throw new IllegalStateException(failure.getMessage(), failure);
    }
}
