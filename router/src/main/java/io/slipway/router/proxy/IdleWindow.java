package io.slipway.router.proxy;

/**
 * Heroku's 55 s rolling idle window (H15) for one client connection. Netty's reader-idle event only covers
 * bytes from the client; this adds the other direction (bytes from the dyno, a slow client draining a response)
 * and decides what an expired window means for the exchange in flight.
 */
final class IdleWindow {
    enum Verdict {
        /** Something moved within the window, or the router itself is what the request waits on. */
        KEEP,
        /** No exchange (or one fully answered): close quietly. */
        CLOSE,
        /** The dyno has not answered: H15 page, then close. */
        H15_PAGE,
        /** The response started and stalled: log H15, cut the connection. */
        H15_CUT
    }

    private final long windowNanos;
    private long lastActivityNanos;

    IdleWindow(long windowNanos, long nowNanos) {
        this.windowNanos = windowNanos;
        this.lastActivityNanos = nowNanos;
    }

    /** A byte came from the dyno or the client drained some of the response. */
    void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    /** Called when the client has been silent for the window; {@code e} is the exchange in flight or null. */
    Verdict onClientSilent(Exchange e, long nowNanos) {
        if (nowNanos - lastActivityNanos < windowNanos) return Verdict.KEEP;
        if (e == null || e.responseDone) return Verdict.CLOSE;
        // waiting for a booting dyno is the router's wait, bounded by the boot timeout (H20), not an idle line
        if (e.waitingForBoot) return Verdict.KEEP;
        return e.responseStarted ? Verdict.H15_CUT : Verdict.H15_PAGE;
    }
}
