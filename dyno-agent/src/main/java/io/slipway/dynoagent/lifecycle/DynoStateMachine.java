package io.slipway.dynoagent.lifecycle;

import static io.slipway.shared.dynos.DynoState.CRASHED;
import static io.slipway.shared.dynos.DynoState.DOWN;
import static io.slipway.shared.dynos.DynoState.STARTING;
import static io.slipway.shared.dynos.DynoState.UP;

import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.shared.dynos.DynoLogPhrases;
import io.slipway.shared.dynos.DynoState;
import java.io.IOException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * One dyno's state, and the only place it changes. The allowed transitions are the table below; anything else is
 * a bug in the supervisor and is refused loudly ({@link IllegalStateException}) rather than reported to the
 * api-server, which would route to, restart or finish a release by a state the dyno is not in. Each transition
 * carries its side effects: the report to the api-server, and Heroku's {@code State changed} line where Heroku
 * writes one (a crash of the slug fetch, a start that failed, or an agent-side stop write none; their own lines
 * say why).
 *
 * <p>The state starts as {@code starting} before anything is reported (the heartbeat shows it so). {@code down}
 * is final. A report answered 404 means the api-server dropped the dyno: it must stop ({@code onGone}), unless it
 * already is down.
 */
final class DynoStateMachine {
    private static final Logger LOG = Logger.getLogger(DynoStateMachine.class.getName());
    private static final Map<DynoState, Set<DynoState>> ALLOWED = new EnumMap<>(DynoState.class);

    static {
        ALLOWED.put(STARTING, EnumSet.of(STARTING, UP, CRASHED, DOWN)); // again: a restart while booting
        ALLOWED.put(UP, EnumSet.of(STARTING, CRASHED, DOWN));
        ALLOWED.put(CRASHED, EnumSet.of(STARTING, CRASHED, DOWN)); // again: the slug still cannot be fetched
        ALLOWED.put(DOWN, EnumSet.noneOf(DynoState.class));
    }

    /** Where a state goes: the api-server's {@code POST .../dynos/{id}/state}. */
    interface Reporter {
        void report(DynoState state, Integer port, Integer exitCode, String message)
                throws IOException, InterruptedException;
    }

    private final String dyno;
    private final Reporter reporter;
    private final Consumer<String> herokuLog;
    private final Runnable onGone;
    private volatile DynoState state = STARTING;

    /**
     * @param dyno the dyno's name, for messages
     * @param herokuLog the dyno's {@code heroku[...]} log
     * @param onGone called when the api-server no longer knows the dyno
     */
    DynoStateMachine(String dyno, Reporter reporter, Consumer<String> herokuLog, Runnable onGone) {
        this.dyno = dyno;
        this.reporter = reporter;
        this.herokuLog = herokuLog;
        this.onGone = onGone;
    }

    /** Whether the table allows {@code from → to}. */
    static boolean allowed(DynoState from, DynoState to) {
        return ALLOWED.get(from).contains(to);
    }

    DynoState state() {
        return state;
    }

    /** The process is about to be started on {@code port} (first start, after a crash, after a restart). */
    void launching(int port) {
        move(STARTING, null, port, null, null);
    }

    /**
     * A restart was asked for and the old process is stopped; {@link #launching} follows. Heroku logs the change
     * now and reports it with the new process.
     */
    void restarted() {
        enter(STARTING, DynoState.STARTING.wire(), false, null, null, null);
    }

    /** Bound its port (web) or started (others). */
    void up(int port) {
        move(UP, UP.wire(), port, null, null);
    }

    /** The process exited, or missed its boot timeout, while it should run: Heroku logs the change. */
    void crashed(int port, Integer exitCode, String message) {
        move(CRASHED, CRASHED.wire(), port, exitCode, message);
    }

    /** It could not even run (no slug, the driver refused): reported, no {@code State changed} line. */
    void failedToStart(Integer port, String message) {
        move(CRASHED, null, port, null, message);
    }

    /** A one-off's process ended: {@code down} with its exit status, logged as Heroku's {@code complete}. */
    void completed(int port, int exitCode) {
        move(DOWN, DynoLogPhrases.COMPLETE, port, exitCode, null);
    }

    /** Stopped as asked; {@code announce}: its process was running and was stopped (not between restarts). */
    void down(Integer port, Integer exitCode, String message, boolean announce) {
        move(DOWN, announce ? DOWN.wire() : null, port, exitCode, message);
    }

    /** The supervisor itself failed: {@code crashed} so the api-server places it again, unless already down. */
    void supervisorFailed(Integer port, String message) {
        if (state == DOWN) {
            LOG.severe("dyno " + dyno + " failed after it was down: " + message);
            return;
        }
        move(CRASHED, null, port, null, message);
    }

    private void move(DynoState to, String logged, Integer port, Integer exitCode, String message) {
        enter(to, logged, true, port, exitCode, message);
    }

    private void enter(DynoState to, String logged, boolean report, Integer port, Integer exitCode, String message) {
        DynoState from = state;
        if (!allowed(from, to)) {
            String why = "dyno " + dyno + ": illegal state change from " + from + " to " + to;
            LOG.severe(why);
            throw new IllegalStateException(why);
        }
        if (logged != null) herokuLog.accept(DynoLogPhrases.stateChanged(from, logged));
        state = to;
        if (report) report(to, port, exitCode, message);
    }

    private void report(DynoState to, Integer port, Integer exitCode, String message) {
        try {
            reporter.report(to, port, exitCode, message);
        } catch (IOException e) {
            // a 404: the api-server dropped the dyno: it must not keep running (unless this was already the end)
            if (InternalApiException.notFound(e)) {
                if (to != DOWN) onGone.run();
                return;
            }
            LOG.fine("state report for " + dyno + " failed (the heartbeat carries it): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
