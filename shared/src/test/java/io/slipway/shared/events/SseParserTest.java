package io.slipway.shared.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    @Test
    void readsFramesAsTheStandardDescribes() {
        SseParser p = new SseParser();
        List<SseParser.Frame> frames = new ArrayList<>();
        for (String line : List.of(": keepalive", "", "id:1", "event:app.created", "data:{\"a\":1}", "",
                "id: 2", "data: line one", "data:line two", "retry: 100", "unknown: x", "",
                "event: no-data", "", "data", "")) {
            SseParser.Frame f = p.line(line);
            if (f != null) frames.add(f);
        }
        assertEquals(3, frames.size());
        assertEquals(new SseParser.Frame("1", "app.created", "{\"a\":1}"), frames.get(0));
        assertEquals(new SseParser.Frame("2", null, "line one\nline two"), frames.get(1));
        // the id carries over (it is the stream's last event id); an empty data line is still data
        assertEquals(new SseParser.Frame("2", null, ""), frames.get(2));
        assertNull(p.line("data: unfinished"));
    }
}
