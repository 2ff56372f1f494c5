package io.slipway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's stream and /proc parsing (the simulation itself is a benchmark, not a test). */
class SseParserTest {
    @Test
    void readsEventsAsTheApiServerSendsThem() {
        List<SseParser.Message> got = new ArrayList<>();
        SseParser p = new SseParser(got::add);
        for (String line : List.of(": connected", "", "id:42", "event:agent.assignments_changed",
                "data:{\"seq\":42,\"payload\":{\"agent_id\":\"sim-0001\"}}", "", ": keepalive", "",
                "id: 43", "data: line one", "data:line two", "")) {
            p.line(line);
        }
        assertEquals(2, got.size());
        assertEquals(new SseParser.Message("42", "agent.assignments_changed",
                "{\"seq\":42,\"payload\":{\"agent_id\":\"sim-0001\"}}"), got.get(0));
        assertEquals(new SseParser.Message("43", "message", "line one\nline two"), got.get(1));
        assertEquals("43", p.lastId());
    }

    @Test
    void readsCpuTicksEvenWhenTheCommandHasSpacesAndParentheses() {
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 100 0 0";
        assertEquals(325, Measure.cpuTicks(stat));
        assertEquals(3.0, Measure.percentile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 50));
        assertEquals(5.0, Measure.percentile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 99));
    }
}
