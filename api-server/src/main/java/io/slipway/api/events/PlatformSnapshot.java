package io.slipway.api.events;

import java.util.List;
import java.util.UUID;

/**
 * The state followers act on, consistent with the event stream up to and including {@code seq}. This
 * record is also the wire format of {@code GET /internal/snapshot} (snake_case):
 * {@code {"seq", "apps": [{"id", "name", "maintenance", "current_release": {"id","version","slug_id","image_id"} | null,
 * "formation": [{"type","quantity","size","command"}], "domains": [{"id","hostname","kind"}]}]}}.
 */
public record PlatformSnapshot(long seq, List<AppState> apps) {

    public record AppState(UUID id, String name, boolean maintenance, CurrentRelease currentRelease,
                           List<Process> formation, List<Host> domains) {}

    /** {@code slugId} or {@code imageId} (a Dockerfile deploy) is set once the app ran code. */
    public record CurrentRelease(UUID id, int version, UUID slugId, UUID imageId) {}

    public record Process(String type, int quantity, String size, String command) {}

    public record Host(UUID id, String hostname, String kind) {}
}
