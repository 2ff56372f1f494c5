package io.slipway.shared.events;

/**
 * Receives events in stream order, one at a time, on the subscription's own thread. Returning normally
 * acknowledges the event: a reconnect resumes after it. Throwing makes the subscription drop the connection
 * and reconnect (with backoff) from the last acknowledged event, so that event is delivered again:
 * delivery is at-least-once, and handlers should be idempotent per {@link Event#seq()}.
 */
@FunctionalInterface
public interface EventHandler {
    void onEvent(Event event) throws Exception;
}
