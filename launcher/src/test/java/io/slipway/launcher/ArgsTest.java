package io.slipway.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static Args parse(String... argv) {
        return Args.parse(List.of(argv), Set.of("data-dir", "port"), Set.of("admin"));
    }

    @Test
    void readsPositionalsOptionsAndFlagsInAnyOrder() {
        Args a = parse("--port=6000", "bob@example.com", "--admin", "--data-dir", "/tmp/x");
        assertEquals(List.of("bob@example.com"), a.positionals());
        assertEquals(6000, a.intOption("port", 5443));
        assertEquals("/tmp/x", a.option("data-dir", null));
        assertTrue(a.flag("admin"));
        assertFalse(parse().flag("admin"));
        assertEquals(5443, parse().intOption("port", 5443));
    }

    @Test
    void aRepeatedOptionKeepsEveryValueInOrder() {
        Args a = parse("--port", "1", "x", "--port=2");
        assertEquals(List.of("1", "2"), a.values("port"));
        assertEquals("2", a.option("port", null), "option() keeps the last one");
        assertEquals(List.of(), a.values("data-dir"));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThrows(UsageException.class, () -> parse("--prot", "6000"));
        assertThrows(UsageException.class, () -> parse("--port"));
        assertThrows(UsageException.class, () -> parse("--port", "many").intOption("port", 1));
        assertThrows(UsageException.class, () -> parse("--admin=yes"));
    }

    @Test
    void mainAnswersUsageErrorsWithStatus2() {
        assertEquals(2, Slipway.run(new String[] {"frobnicate"}));
        assertEquals(2, Slipway.run(new String[] {"users:create"}));
        assertEquals(0, Slipway.run(new String[] {"help"}));
    }
}
