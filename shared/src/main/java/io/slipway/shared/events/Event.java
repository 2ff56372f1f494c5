package io.slipway.shared.events;

import io.slipway.shared.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Map;
import java.util.UUID;

/**
 * One entry of the api-server's ordered event stream, as followers receive it: the {@code data} of a
 * server-sent event or an element of the long-poll array, i.e.
 * {@code {"seq","type","app_id","app_name","payload":{...},"created_at"}}. {@link #json()} keeps the raw text
 * for anyone who prefers their own JSON library; {@link #payload()} is the parsed payload object (see
 * {@link EventTypes} for what each type carries).
 *
 * @param seq       position in the stream; strictly increasing, gaps possible (rolled-back transactions)
 * @param type      one of {@link EventTypes}
 * @param appId     the app concerned, or null for platform-wide events
 * @param appName   the app's name when the event was written (names change: key state by {@code appId})
 * @param createdAt when the change's transaction started, to the second
 */
public record Event(long seq, String type, UUID appId, String appName, Map<String, Object> payload,
                    Instant createdAt, String json) {

    public Event {
        payload = payload == null ? Collections.emptyMap() : Collections.unmodifiableMap(payload);
    }

    /** Parses the JSON form; throws {@link IllegalArgumentException} when it is not an event. */
    public static Event parse(String json) {
        Map<String, Object> root = Json.parseObject(json);
        Object seq = root.get("seq");
        Object type = root.get("type");
        if (!(seq instanceof Long) || !(type instanceof String)) {
            throw new IllegalArgumentException("not an event (needs a numeric seq and a string type): " + json);
        }
        return new Event((Long) seq, (String) type, uuid(root.get("app_id")), string(root.get("app_name")),
                Json.object(root.get("payload")), instant(root.get("created_at")), json);
    }

    /** A payload field as text (numbers and booleans too), or null when absent. */
    public String payloadString(String key) {
        Object v = payload.get(key);
        return v == null ? null : String.valueOf(v);
    }

    /** A numeric payload field, or null when absent or not a whole number. */
    public Long payloadLong(String key) {
        return payload.get(key) instanceof Long l ? l : null;
    }

    /** A boolean payload field, or null when absent or not a boolean. */
    public Boolean payloadBoolean(String key) {
        return payload.get(key) instanceof Boolean b ? b : null;
    }

    private static String string(Object v) {
        return v instanceof String s ? s : null;
    }

    private static UUID uuid(Object v) {
        if (!(v instanceof String s)) return null;
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad app_id " + s, e);
        }
    }

    private static Instant instant(Object v) {
        if (!(v instanceof String s)) return null;
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("bad created_at " + s, e);
        }
    }
}
