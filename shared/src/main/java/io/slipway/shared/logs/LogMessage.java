package io.slipway.shared.logs;

/**
 * A log line's text, written when the shipper's sender thread builds its request rather than when the line is
 * queued: a hot caller (the router, once per request on its event loop) queues the facts of the line and no
 * string is built for it at all. The facts must not change after they are queued (another thread reads them).
 */
@FunctionalInterface
public interface LogMessage {
    void writeTo(LogText text);

    /** The text as a string, e.g. for tests. */
    default String text() {
        StringBuilder b = new StringBuilder(256);
        writeTo(LogText.of(b));
        return b.toString();
    }
}
