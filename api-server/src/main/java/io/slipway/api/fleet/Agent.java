package io.slipway.api.fleet;

import java.time.Instant;

/** A dyno-agent as registered: where its dynos are reached, what it can hold, whether it is heard from. */
public record Agent(String id, String host, int memoryMb, int dynoSlots, String state, Instant lastHeartbeatAt,
                    Instant registeredAt) {
    public static final String LIVE = "live";
    public static final String LOST = "lost";

    public boolean live() {
        return LIVE.equals(state);
    }
}
