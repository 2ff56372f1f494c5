package io.slipway.api.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.api.fleet.Agent;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The agents' room is read only when a dyno is placed, once, and placement still picks the emptiest agent. */
class CapacityTest {
    private static Agent agent(String id, int memoryMb, int slots) {
        return new Agent(id, "127.0.0.1", memoryMb, slots, Agent.LIVE, Instant.now(), Instant.now());
    }

    @Test
    void readsNothingUntilADynoIsPlacedThenReadsOnce() {
        AtomicInteger loads = new AtomicInteger();
        Capacity capacity = Capacity.lazy(c -> {
            loads.incrementAndGet();
            c.add(agent("a", 4096, 32), 0, 0);
            c.add(agent("b", 4096, 32), 1, 1024);
        });
        assertEquals(0, loads.get(), "creating the capacity reads nothing");

        assertEquals("a", capacity.take("Basic").orElseThrow().id()); // a: 4096 free, b: 3072
        assertEquals("a", capacity.take("Basic").orElseThrow().id()); // a: 3584 free
        assertEquals("b", capacity.take("Basic").orElseThrow().id()); // both 3072 MB free: b has more slots free
        assertEquals(1, loads.get(), "read once, then updated in memory");
    }

    @Test
    void noRoomAnywhereIsEmpty() {
        Capacity capacity = Capacity.lazy(c -> c.add(agent("a", 512, 1), 1, 512));
        assertTrue(capacity.take("Basic").isEmpty());
    }
}
