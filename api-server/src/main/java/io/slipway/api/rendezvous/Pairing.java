package io.slipway.api.rendezvous;

import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * The two ends of one {@code heroku run} session, met by secret: the CLI's connection and the dyno's. Each
 * end's thread waits here until the other end arrives (or the pairing times out).
 */
final class Pairing {
    final String secret;
    private Socket cli;
    private Socket dyno;
    private boolean closed;
    /** When the banner went to the CLI: output may follow only ~300 ms later (C.2: the CLI drops its first chunk). */
    volatile long bannerNanos;
    /** Counted down once the banner was flushed to the CLI: the dyno's output must not overtake it. */
    final CountDownLatch bannerSent = new CountDownLatch(1);
    /** Counted down when the CLI sent its EOF byte (\x04) or closed: then the session may end. */
    final CountDownLatch cliFinished = new CountDownLatch(1);

    Pairing(String secret) {
        this.secret = secret;
    }

    synchronized boolean attachCli(Socket s) {
        if (cli != null || closed) return false;
        cli = s;
        notifyAll();
        return true;
    }

    synchronized boolean attachDyno(Socket s) {
        if (dyno != null || closed) return false;
        dyno = s;
        notifyAll();
        return true;
    }

    /** Waits until both ends are here; false when the deadline passed or the pairing was closed. */
    synchronized boolean awaitBoth(long deadlineNanos) throws InterruptedException {
        while (!closed && (cli == null || dyno == null)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return !closed;
    }

    synchronized Socket cli() {
        return cli;
    }

    synchronized Socket dyno() {
        return dyno;
    }

    synchronized boolean paired() {
        return cli != null && dyno != null;
    }

    /** Closes both ends (idempotent). */
    void close() {
        Socket c;
        Socket d;
        synchronized (this) {
            closed = true;
            c = cli;
            d = dyno;
            notifyAll();
        }
        closeQuietly(c);
        closeQuietly(d);
        cliFinished.countDown();
        bannerSent.countDown();
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (Exception ignored) {
            // already gone
        }
    }
}
