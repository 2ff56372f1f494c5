package io.slipway.api.events.web;

import io.slipway.api.events.StoredEvent;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An event as followers receive it (SSE {@code data}, long-poll array element):
 * {@code {"seq","type","app_id","app_name","payload":{...},"created_at"}}. Parsed on the follower side by
 * {@code io.slipway.shared.events.Event}.
 */
public record EventJson(long seq, String type, UUID appId, String appName, JsonNode payload, Instant createdAt) {
    public static EventJson of(StoredEvent e, ObjectMapper mapper) {
        return new EventJson(e.seq(), e.type(), e.appId(), e.appName(), mapper.readTree(e.payload()), e.createdAt());
    }
}
