package io.slipway.shared.dynos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The wire names are Heroku's and are what the agent, the api-server and the router exchange. */
class DynoStateTest {
    @Test
    void wireNamesAreHerokusAndRoundTrip() {
        assertEquals(Set.of("starting", "up", "crashed", "down"), DynoState.wireNames());
        for (DynoState s : DynoState.values()) assertEquals(Optional.of(s), DynoState.fromWire(s.wire()));
        assertEquals("up", DynoState.UP.toString());
    }

    @Test
    void anythingElseIsNoState() {
        assertEquals(Optional.empty(), DynoState.fromWire("UP"));
        assertEquals(Optional.empty(), DynoState.fromWire("idle"));
        assertEquals(Optional.empty(), DynoState.fromWire(null));
        assertFalse(DynoState.DOWN.is(null));
        assertFalse(DynoState.DOWN.is("crashed"));
        assertTrue(DynoState.CRASHED.is("crashed"));
    }
}
