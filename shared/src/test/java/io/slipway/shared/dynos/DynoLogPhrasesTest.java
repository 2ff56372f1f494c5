package io.slipway.shared.dynos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Heroku's wording, letter for letter: users' log searches and drains depend on it. */
class DynoLogPhrasesTest {
    @Test
    void linesReadAsHerokusDo() {
        assertEquals("State changed from starting to up", DynoLogPhrases.stateChanged(DynoState.STARTING, "up"));
        assertEquals("State changed from up to complete",
                DynoLogPhrases.stateChanged(DynoState.UP, DynoLogPhrases.COMPLETE));
        assertEquals("Starting process with command `npm start`", DynoLogPhrases.startingProcess("npm start"));
        assertEquals("Process exited with status 3", DynoLogPhrases.processExited(3));
        assertEquals("Process exited with status 137", DynoLogPhrases.processExited(null));
        assertTrue(DynoLogPhrases.processExited(0).startsWith(DynoLogPhrases.EXIT_PREFIX));
        assertEquals("Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch",
                DynoLogPhrases.bootTimeout(60));
        assertEquals("Error R12 (Exit timeout) -> At least one process failed to exit within 30 seconds of SIGTERM",
                DynoLogPhrases.exitTimeout(30));
        assertEquals("Stopping all processes with SIGTERM", DynoLogPhrases.STOPPING_WITH_SIGTERM);
        assertEquals("Client connection closed. Stopping the process", DynoLogPhrases.CLIENT_GONE);
    }
}
