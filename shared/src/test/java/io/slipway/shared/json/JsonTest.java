package io.slipway.shared.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject(
                " {\"s\":\"a\\\"b\\\\c\\n\\u00e9\",\"i\":42,\"neg\":-7,\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,"
                        + "\"arr\":[1,{\"x\":[]},\"y\"],\"o\":{}} ");
        assertEquals("a\"b\\c\né", m.get("s"));
        assertEquals(42L, m.get("i"));
        assertEquals(-7L, m.get("neg"));
        assertEquals(150.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L, Map.of("x", List.of()), "y"), m.get("arr"));
        assertEquals(Map.of(), m.get("o"));
        assertEquals(List.of("s", "i", "neg", "d", "t", "f", "n", "arr", "o"), List.copyOf(m.keySet()));
    }

    @Test
    void bigIntegersBecomeDoubles() {
        assertEquals(1e20, Json.parse("100000000000000000000"));
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "\"x", "tru",
                "{\"a\" 1}", "{} x", "\"\t\"", "\"\\q\"", "nul", "-", "[1 2]"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(1000)));
    }

    @Test
    void writesWhatItReads() {
        String text = "{\"s\":\"q\\\"\\\\\\n\\u0001\",\"n\":null,\"l\":[1,2.5,true],\"o\":{\"k\":\"v\"}}";
        assertEquals(text, Json.write(Json.parse(text)));
    }
}
