package io.slipway.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.support.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Test helper: reads the internal event log over HTTP as a follower would (long poll without waiting).
 * Built from a function that GETs an internal path with the internal token.
 */
public final class InternalEvents {
    private final Function<String, Response> internalGet;

    public InternalEvents(Function<String, Response> internalGet) {
        this.internalGet = internalGet;
    }

    /** The newest seq right now. */
    public long lastSeq() {
        return internalGet.apply("/internal/snapshot").expect(200).json().path("seq").asLong();
    }

    /** Every event after {@code after} (following pages), in order. */
    public List<JsonNode> after(long after) {
        List<JsonNode> all = new ArrayList<>();
        long cursor = after;
        while (true) {
            JsonNode page = internalGet.apply("/internal/events?after=" + cursor + "&wait=0").expect(200).json();
            if (page.isEmpty()) return all;
            page.forEach(all::add);
            cursor = page.get(page.size() - 1).path("seq").asLong();
        }
    }

    /** The events of one app after {@code after}, in order. */
    public List<JsonNode> forApp(long after, UUID appId) {
        return after(after).stream().filter(e -> e.path("app_id").asText().equals(appId.toString())).toList();
    }
}
