package io.slipway.shared.events;

import io.slipway.shared.json.Json;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /internal/snapshot}: the platform state that followers act on (apps, their current release,
 * formation and domains), consistent with the event stream up to and including {@link #seq()}. A follower
 * that lost track rebuilds its state from this and then follows the stream from {@code seq}.
 */
public record Snapshot(long seq, List<Object> apps, String json) {

    public static Snapshot parse(String json) {
        Map<String, Object> root = Json.parseObject(json);
        if (!(root.get("seq") instanceof Long seq)) throw new IllegalArgumentException("snapshot without seq");
        return new Snapshot(seq, Json.array(root.get("apps")), json);
    }

    /** The apps as parsed objects: {@code id, name, maintenance, current_release, formation, domains}. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> appObjects() {
        return apps.stream().map(a -> (Map<String, Object>) Json.object(a)).toList();
    }
}
