package io.slipway.shared.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTest {

    @Test
    void parsesTheServersEventJson() {
        UUID app = UUID.randomUUID();
        String json = "{\"seq\":12,\"type\":\"app.maintenance\",\"app_id\":\"" + app + "\",\"app_name\":\"demo\","
                + "\"payload\":{\"maintenance\":true,\"version\":3,\"hostname\":\"www.example.com\"},"
                + "\"created_at\":\"2026-11-22T02:19:40Z\"}";
        Event e = Event.parse(json);
        assertEquals(12, e.seq());
        assertEquals(EventTypes.APP_MAINTENANCE, e.type());
        assertEquals(app, e.appId());
        assertEquals("demo", e.appName());
        assertEquals(Boolean.TRUE, e.payloadBoolean("maintenance"));
        assertEquals(3L, e.payloadLong("version"));
        assertEquals("www.example.com", e.payloadString("hostname"));
        assertNull(e.payloadString("absent"));
        assertEquals(Instant.parse("2026-11-22T02:19:40Z"), e.createdAt());
        assertEquals(json, e.json());
    }

    @Test
    void platformEventsHaveNoApp() {
        Event e = Event.parse("{\"seq\":1,\"type\":\"x\",\"app_id\":null,\"app_name\":null,\"payload\":{},\"created_at\":null}");
        assertNull(e.appId());
        assertEquals(0, e.payload().size());
    }

    @Test
    void refusesWhatIsNotAnEvent() {
        assertThrows(IllegalArgumentException.class, () -> Event.parse("{\"type\":\"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> Event.parse("{\"seq\":\"1\",\"type\":\"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> Event.parse("{\"seq\":1,\"type\":\"x\",\"app_id\":\"nope\"}"));
        assertThrows(IllegalArgumentException.class, () -> Event.parse("not json"));
    }
}
