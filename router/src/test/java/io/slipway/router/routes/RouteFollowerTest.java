package io.slipway.router.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.events.EventTypes;
import org.junit.jupiter.api.Test;

class RouteFollowerTest {
    @Test
    void reReadsARouteOnlyForEventsThatCanChangeIt() {
        assertTrue(RouteFollower.affectsRoutes(EventTypes.DYNO_STATE_CHANGED));
        assertTrue(RouteFollower.affectsRoutes(EventTypes.ROUTES_CHANGED));
        assertTrue(RouteFollower.affectsRoutes("app.updated"));
        assertTrue(RouteFollower.affectsRoutes("domain.created"));
        // every config change makes a release: it names no dyno, domain or app setting the router uses
        assertFalse(RouteFollower.affectsRoutes(EventTypes.RELEASE_CREATED));
        assertFalse(RouteFollower.affectsRoutes(EventTypes.FORMATION_CHANGED));
    }
}
