package io.slipway.router.routes;

import java.util.UUID;

/**
 * Other per-app state the router keeps from the api-server beside the routes (the TLS certificates), loaded with
 * the route table and kept current from the same event stream by {@link RouteFollower}.
 */
public interface FollowedState {
    /**
     * Loads everything; the event seq it corresponds to, or null when the api-server has no such endpoint (the
     * state then stays empty and events still re-read apps). Throws when the api-server cannot answer (retried).
     */
    Long load() throws Exception;

    /** Whether an event of this type may have changed the app's state. */
    boolean affectedBy(String eventType);

    /** Re-reads one app's state; throws when the api-server cannot answer (the event is then redelivered). */
    void reload(UUID appId) throws Exception;
}
