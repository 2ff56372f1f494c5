package io.slipway.dynoagent.lifecycle;

import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.RunningDyno;
import io.slipway.dynoagent.logs.DynoLog;
import io.slipway.shared.dynos.DynoLogPhrases;
import java.time.Duration;

/**
 * One started process of a dyno, watched until it ends: it exits by itself, the agent orders it to stop or
 * restart, or (a web dyno) it does not bind {@code $PORT} within the boot timeout. Stopping is Heroku's: SIGTERM,
 * SIGKILL after the stop timeout (R12); a boot timeout (R10) is SIGKILL at once.
 */
final class WatchedProcess {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    /** How the watch ended. */
    enum Outcome { EXITED, STOP, RESTART, BOOT_TIMEOUT }

    private final RunningDyno running;
    private final int port;
    private final long generation;
    private final AgentConfig config;
    private final DynoLog log;
    private final long startedAt = System.nanoTime();
    private int exitStatus;

    WatchedProcess(RunningDyno running, int port, long generation, AgentConfig config, DynoLog log) {
        this.running = running;
        this.port = port;
        this.generation = generation;
        this.config = config;
        this.log = log;
    }

    /**
     * Watches until the process exits, must stop or restart, or (web) misses its boot timeout; {@code machine}
     * goes up on the way (a web dyno once it accepts TCP on its port, others at once).
     */
    Outcome watch(boolean web, DynoOrders orders, DynoStateMachine machine) throws InterruptedException {
        long deadline = System.nanoTime() + config.bootTimeout().toNanos();
        boolean up = !web;
        if (up) machine.up(port);
        while (true) {
            Integer code = running.waitFor(POLL);
            if (code != null) {
                exitStatus = code;
                return Outcome.EXITED;
            }
            switch (orders.orderFor(generation)) {
                case STOP:
                    return Outcome.STOP;
                case RESTART:
                    return Outcome.RESTART;
                default:
                    break;
            }
            if (!up) {
                if (PortProbe.accepts(config.host(), port)) {
                    up = true;
                    machine.up(port);
                } else if (System.nanoTime() > deadline) {
                    return Outcome.BOOT_TIMEOUT;
                }
            }
        }
    }

    /** The status the process exited with by itself ({@link Outcome#EXITED}). */
    int exitStatus() {
        return exitStatus;
    }

    /** How long it has run. */
    Duration upFor() {
        return Duration.ofNanos(System.nanoTime() - startedAt);
    }

    /** SIGTERM, SIGKILL after the stop timeout (R12); answers the exit status (null: none after SIGKILL). */
    Integer stop() throws InterruptedException {
        log.heroku(DynoLogPhrases.STOPPING_WITH_SIGTERM);
        running.signal(RunningDyno.Signal.TERM);
        Integer code = running.waitFor(config.stopTimeout());
        if (code == null) {
            log.heroku(DynoLogPhrases.exitTimeout(config.stopTimeout().toSeconds()));
            code = kill();
        }
        log.heroku(DynoLogPhrases.processExited(code));
        return code;
    }

    /** R10: it did not bind in time; SIGKILL at once. Answers the exit status (null: none). */
    Integer killForBootTimeout() throws InterruptedException {
        log.heroku(DynoLogPhrases.bootTimeout(config.bootTimeout().toSeconds()));
        Integer code = kill();
        log.heroku(DynoLogPhrases.processExited(code));
        return code;
    }

    private Integer kill() throws InterruptedException {
        log.heroku(DynoLogPhrases.STOPPING_WITH_SIGKILL);
        running.signal(RunningDyno.Signal.KILL);
        return running.waitFor(KILL_WAIT);
    }
}
