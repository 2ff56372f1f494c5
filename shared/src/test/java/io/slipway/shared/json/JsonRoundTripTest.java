package io.slipway.shared.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonRoundTripTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject("""
                {"s":"a\\"b\\\\c\\n\\u00e9\\/", "i": -12, "big": 12345678901234567890, "d": 1.5e2,
                 "t": true, "f": false, "n": null, "l": [1, "x", [], {}], "o": {"k": "v"}}
                """);
        assertEquals("a\"b\\c\né/", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(1.2345678901234567E19, m.get("big"));
        assertEquals(150.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, "x", List.of(), Map.of()), m.get("l"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals(List.of("s", "i", "big", "d", "t", "f", "n", "l", "o"), List.copyOf(m.keySet()));
    }

    @Test
    void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "succeeded");
        m.put("size", 12345L);
        m.put("ratio", 0.5);
        m.put("commit", null);
        m.put("types", Map.of("web", "npm start"));
        m.put("list", Arrays.asList(1, true, "tab\there", "ctl\u0001"));
        String text = Json.write(m);
        assertEquals("{\"status\":\"succeeded\",\"size\":12345,\"ratio\":0.5,\"commit\":null,"
                + "\"types\":{\"web\":\"npm start\"},\"list\":[1,true,\"tab\\there\",\"ctl\\u0001\"]}", text);
        Map<String, Object> back = Json.parseObject(text);
        assertEquals("tab\there", ((List<?>) back.get("list")).get(2));
        assertEquals("ctl\u0001", ((List<?>) back.get("list")).get(3));
    }

    @Test
    void refusesMalformedInput() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "{\"a\":1,}", "[1 2]", "01", "1.", "-", "\"\\x\"", "tru",
                "{\"a\":1} x", "\"line\nbreak\"", "{a:1}", "[", "\"\\u12\"", "[".repeat(500) + "]".repeat(500))) {
            assertThrows(Json.JsonException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(Json.JsonException.class, () -> Json.parseObject("[1]"));
        assertThrows(Json.JsonException.class, () -> Json.write(Double.NaN));
        assertThrows(Json.JsonException.class, () -> Json.write(new Object()));
    }
}
