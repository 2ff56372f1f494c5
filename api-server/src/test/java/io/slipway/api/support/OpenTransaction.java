package io.slipway.api.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A transaction on a thread of its own that did some work (took a lock, appended a line) and stays open until
 * {@link #close}, when it commits: what a request or another replica in the middle of its transaction looks like
 * to the code under test.
 */
public final class OpenTransaction implements AutoCloseable {
    private final CountDownLatch worked = new CountDownLatch(1);
    private final CountDownLatch commit = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    /** How the whole transaction ended, its commit included: null when it committed. */
    private final AtomicReference<Throwable> outcome = new AtomicReference<>();
    private Thread thread;

    private OpenTransaction() {
    }

    /** Returns once {@code work} has run inside the still open transaction. */
    public static OpenTransaction start(PlatformTransactionManager transactions, String name, Runnable work)
            throws InterruptedException {
        OpenTransaction open = new OpenTransaction();
        open.thread = new Thread(() -> open.run(transactions, work), name);
        open.thread.setDaemon(true);
        open.thread.start();
        if (!open.worked.await(30, TimeUnit.SECONDS)) throw new AssertionError(name + ": the work did not run in 30 s");
        if (open.failure.get() != null) throw new AssertionError(name + ": the work failed", open.failure.get());
        return open;
    }

    private void run(PlatformTransactionManager transactions, Runnable work) {
        try {
            new TransactionTemplate(transactions).executeWithoutResult(tx -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    failure.set(e);
                    throw e;
                } finally {
                    worked.countDown();
                }
                try {
                    commit.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        } catch (Throwable t) {
            outcome.set(t);
        }
    }

    /** Lets the transaction commit and waits for it: null when it committed, else what ended it. */
    public Throwable commitAndAwait() throws InterruptedException {
        close();
        thread.join(30_000);
        if (thread.isAlive()) return new AssertionError(thread.getName() + " did not end in 30 s");
        return outcome.get();
    }

    /** Lets the transaction commit (it ends with the thread; a dead connection meanwhile rolls it back). */
    @Override
    public void close() {
        commit.countDown();
    }
}
