package io.slipway.dynoagent.lifecycle;

import static io.slipway.shared.dynos.DynoState.CRASHED;
import static io.slipway.shared.dynos.DynoState.DOWN;
import static io.slipway.shared.dynos.DynoState.STARTING;
import static io.slipway.shared.dynos.DynoState.UP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.dynos.DynoState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The transition table, and what each transition reports and logs. */
class DynoStateMachineTest {
    final List<String> reports = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    final AtomicInteger gone = new AtomicInteger();
    IOException answer; // what the api-server's answer to a report throws, if anything

    DynoStateMachine machine() {
        return new DynoStateMachine("web.1", (state, port, exit, message) -> {
            reports.add(state.wire() + " port=" + port + " exit=" + exit + " message=" + message);
            if (answer != null) throw answer;
        }, lines::add, gone::incrementAndGet);
    }

    @Test
    void aWebDynoThatCrashesAndIsRetiredReportsAndLogsAsHeroku() {
        DynoStateMachine m = machine();
        assertEquals(STARTING, m.state(), "shown as starting before the first report");
        m.launching(5000);
        m.up(5000);
        m.crashed(5000, 3, null);
        m.launching(5000);
        m.down(5000, 143, null, true);
        assertEquals(DOWN, m.state());
        assertEquals(List.of("starting port=5000 exit=null message=null", "up port=5000 exit=null message=null",
                "crashed port=5000 exit=3 message=null", "starting port=5000 exit=null message=null",
                "down port=5000 exit=143 message=null"), reports);
        assertEquals(List.of("State changed from starting to up", "State changed from up to crashed",
                "State changed from starting to down"), lines);
    }

    @Test
    void aRestartLogsTheChangeAndReportsItWithTheNewProcess() {
        DynoStateMachine m = machine();
        m.launching(5000);
        m.up(5000);
        m.restarted();
        assertEquals(List.of("State changed from starting to up", "State changed from up to starting"), lines);
        assertEquals(2, reports.size(), "the restart itself reports nothing");
        m.launching(5000);
        assertEquals("starting port=5000 exit=null message=null", reports.get(2));
    }

    @Test
    void aOneOffCompletesDownWithItsStatus() {
        DynoStateMachine m = machine();
        m.launching(5000);
        m.up(5000);
        m.completed(5000, 0);
        assertEquals("State changed from up to complete", lines.get(lines.size() - 1));
        assertEquals("down port=5000 exit=0 message=null", reports.get(reports.size() - 1));
    }

    @Test
    void failuresBeforeTheProcessRanReportCrashedWithoutAStateLine() {
        DynoStateMachine m = machine();
        m.failedToStart(null, "slug: gone");
        m.failedToStart(null, "slug: gone");
        m.down(null, null, null, false);
        assertTrue(lines.isEmpty(), lines.toString());
        assertEquals(List.of("crashed", "crashed", "down"), reports.stream().map(r -> r.split(" ")[0]).toList());
    }

    @Test
    void illegalTransitionsAreRefusedAndNothingIsReported() {
        DynoStateMachine m = machine();
        m.launching(5000);
        m.up(5000);
        assertThrows(IllegalStateException.class, () -> m.up(5000), "up twice");
        m.crashed(5000, 1, null);
        assertThrows(IllegalStateException.class, () -> m.up(5000), "crashed to up skips starting");
        m.down(5000, null, null, false);
        int reported = reports.size();
        assertThrows(IllegalStateException.class, () -> m.launching(5000), "down is final");
        assertThrows(IllegalStateException.class, () -> m.crashed(5000, 1, null), "down is final");
        assertEquals(reported, reports.size());
        assertEquals(DOWN, m.state());
        m.supervisorFailed(5000, "late failure"); // logged, not reported: the dyno is down already
        assertEquals(reported, reports.size());
    }

    @Test
    void theTableIsHerokusLifecycle() {
        for (DynoState to : DynoState.values()) assertFalse(DynoStateMachine.allowed(DOWN, to), "down to " + to);
        assertFalse(DynoStateMachine.allowed(UP, UP));
        assertFalse(DynoStateMachine.allowed(CRASHED, UP));
        assertTrue(DynoStateMachine.allowed(STARTING, STARTING));
        assertTrue(DynoStateMachine.allowed(UP, STARTING));
        assertTrue(DynoStateMachine.allowed(CRASHED, CRASHED));
        for (DynoState from : List.of(STARTING, UP, CRASHED)) assertTrue(DynoStateMachine.allowed(from, DOWN));
    }

    @Test
    void aDynoTheApiServerDroppedStopsUnlessItIsDownAlready() {
        DynoStateMachine m = machine();
        answer = new InternalApiException(404, "not_found", "no such dyno");
        m.launching(5000);
        assertEquals(1, gone.get());
        m.down(5000, 0, null, true);
        assertEquals(1, gone.get(), "down is the end anyway");
        answer = new IOException("connection refused");
        DynoStateMachine other = machine();
        other.launching(5001);
        assertEquals(1, gone.get(), "a failed call never stops a dyno");
        assertEquals(STARTING, other.state());
    }

    @Test
    void crashBackoffIsHerokusCoolOff() {
        CrashBackoff b = new CrashBackoff(Duration.ofSeconds(10), Duration.ofSeconds(40));
        assertEquals(Duration.ZERO, b.crashed(), "the first restart is at once");
        assertEquals(Duration.ofSeconds(10), b.crashed());
        assertEquals(Duration.ofSeconds(20), b.crashedAfter(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(40), b.crashed());
        assertEquals(Duration.ofSeconds(40), b.crashed(), "capped");
        assertEquals(Duration.ZERO, b.crashedAfter(Duration.ofSeconds(41)), "a long run starts a fresh count");
        b.crashed();
        b.reset();
        assertEquals(Duration.ZERO, b.crashed(), "an asked-for restart starts a fresh count");
    }
}
