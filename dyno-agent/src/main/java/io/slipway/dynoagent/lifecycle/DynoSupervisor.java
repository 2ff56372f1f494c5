package io.slipway.dynoagent.lifecycle;

import io.slipway.shared.agents.Assignment;
import io.slipway.dynoagent.attach.AttachSession;
import io.slipway.dynoagent.drivers.RunningDyno;
import io.slipway.dynoagent.logs.DynoLog;
import io.slipway.shared.dynos.DynoLogPhrases;
import io.slipway.shared.dynos.DynoState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one dyno as its assignment wants it, on a thread of its own: fetch and unpack the slug, take a port,
 * start the process, report {@code starting} then {@code up} (a web dyno once it accepts TCP on {@code $PORT},
 * others at once), and when it exits while it should be up report {@code crashed} and start it again after
 * Heroku's crash cool-off ({@link CrashBackoff}). A web dyno that does not bind in time gets R10 and is killed.
 * A one-off is never restarted: it is reported {@code down} with its exit code. Retiring a dyno (desired
 * {@code stopped}, or gone from the assignments): a web dyno first keeps running for the drain delay so the
 * router stops sending it requests, then SIGTERM, SIGKILL after the stop timeout (R12), {@code down}, and its
 * directory is deleted. A grown {@code restart_generation} restarts the process with the same SIGTERM path.
 *
 * <p>The states and what each change reports and logs are {@link DynoStateMachine}'s; what the agent asks of the
 * dyno is {@link DynoOrders}; the process's watch and stop are {@link WatchedProcess}. Calls to the api-server
 * that fail never stop a dyno: states are also carried by the agent's heartbeats. Only a 404 for the dyno (its
 * row is gone) retires it.
 */
public final class DynoSupervisor {
    private static final Logger LOG = Logger.getLogger(DynoSupervisor.class.getName());

    private final DynoContext ctx;
    private final Consumer<DynoSupervisor> onFinished;
    private final String dynoId;
    private final String name;
    private final DynoLog log;
    private final DynoOrders orders;
    private final DynoStateMachine machine;
    private final DynoWorkspace workspace;
    private final CrashBackoff backoff;
    private volatile boolean finished;
    private Thread thread;
    private Integer lastExit; // of the last process stopped, reported with down (the dyno's thread only)

    public DynoSupervisor(Assignment assignment, DynoContext ctx, Consumer<DynoSupervisor> onFinished) {
        this.ctx = ctx;
        this.onFinished = onFinished;
        this.dynoId = assignment.dynoId();
        this.name = assignment.name();
        this.log = new DynoLog(ctx.logs(), assignment.appId(), assignment.name());
        this.orders = new DynoOrders(assignment);
        this.machine = new DynoStateMachine(name,
                (state, port, exit, message) -> ctx.api().reportState(dynoId, state, port, exit, message),
                log::heroku, this::retire);
        this.workspace = new DynoWorkspace(ctx, dynoId);
        this.backoff = new CrashBackoff(ctx.config().restartBackoff(), ctx.config().restartBackoffMax());
    }

    public String dynoId() {
        return dynoId;
    }

    /** The last state reported ({@code starting} before the first report). */
    public DynoState state() {
        return machine.state();
    }

    public boolean finished() {
        return finished;
    }

    /**
     * Whether the dyno ended as intended (retired, or a one-off that ran): false after an unexpected failure of
     * the supervisor itself, so the agent may start it again at its next read of the assignments.
     */
    public boolean endedForGood() {
        return orders.endedForGood();
    }

    public void start() {
        thread = new Thread(this::run, "dyno-" + name + "-" + dynoId);
        thread.setDaemon(true);
        thread.start();
    }

    /** A newer assignment for this dyno: maybe stopped, maybe a restart. */
    public void update(Assignment newer) {
        orders.update(newer);
    }

    /** Stops the dyno for good (drain first when it is a web dyno). */
    public void retire() {
        orders.retire();
    }

    /** Stops the dyno because the agent shuts down: SIGTERM at once, no drain. */
    public void shutdown() {
        orders.shutdown();
    }

    /** Waits until the dyno is stopped and cleaned up; false when it did not within {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) return true;
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    /** The attached user's connection ended before the process: a one-off nobody watches stops, as on Heroku. */
    private void clientGone() {
        log.heroku(DynoLogPhrases.CLIENT_GONE);
        retire();
    }

    private void run() {
        Path app = null;
        int port = -1;
        try {
            boolean stopped = false; // a running process was stopped as asked (not a retirement between runs)
            while (!orders.retiring()) {
                if (app == null) {
                    try {
                        app = workspace.prepare(orders.current());
                    } catch (IOException e) {
                        boolean image = orders.current().slug() == null && orders.current().image() != null;
                        LOG.log(Level.WARNING, "dyno " + name + ": cannot prepare the " + (image ? "image" : "slug"), e);
                        log.heroku(image ? "Error: cannot run the image: " + e.getMessage()
                                : DynoLogPhrases.slugUnavailable(e.getMessage()));
                        machine.failedToStart(null, (image ? "image: " : "slug: ") + e.getMessage());
                        orders.awaitBackoff(backoff.crashed(), orders.wantedGeneration());
                        continue;
                    }
                }
                if (port < 0) port = ctx.ports().allocate();
                Run run = runOnce(app, port);
                if (run == Run.AGAIN) continue;
                if (run == Run.ENDED) return;
                stopped = true;
                break;
            }
            machine.down(port < 0 ? null : port, lastExit, null, stopped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "dyno " + name + " supervisor failed", e);
            machine.supervisorFailed(port < 0 ? null : port, String.valueOf(e.getMessage()));
        } finally {
            if (port >= 0) ctx.ports().release(port);
            workspace.remove();
            finished = true;
            onFinished.accept(this);
        }
    }

    /** What one start of the process led to. */
    private enum Run { AGAIN, STOPPED, ENDED }

    /** Starts the process once and watches it to its end: start again, stopped for good, or the dyno ended. */
    private Run runOnce(Path app, int port) throws InterruptedException {
        long generation = orders.wantedGeneration();
        Assignment a = orders.current();
        machine.launching(port);
        log.heroku(DynoLogPhrases.startingProcess(a.displayCommand()));
        AttachSession attach = null;
        if (a.attach() != null) {
            try {
                attach = AttachSession.connect(a.attach(), ctx.attachTls());
            } catch (IOException e) {
                log.heroku(DynoLogPhrases.attachFailed(e.getMessage()));
                machine.down(port, null, "attach failed: " + e.getMessage(), false);
                return Run.ENDED;
            }
        }
        RunningDyno running;
        try {
            running = ctx.driver().start(workspace.spec(a, app, port, attach, log));
        } catch (IOException e) {
            if (attach != null) attach.close();
            log.heroku(DynoLogPhrases.startFailed(e.getMessage()));
            machine.failedToStart(port, e.getMessage());
            orders.awaitBackoff(backoff.crashed(), generation);
            return Run.AGAIN;
        }
        if (attach != null) attach.pipeInputTo(running.stdin(), a.attach().tty(), this::clientGone);
        else closeQuietly(running); // without a terminal attached a dyno's stdin is empty, as on Heroku
        WatchedProcess process = new WatchedProcess(running, port, generation, ctx.config(), log);
        try {
            return afterWatch(process, process.watch(a.isWeb(), orders, machine), a, port, generation);
        } finally {
            running.cleanup();
            if (attach != null) attach.close();
        }
    }

    private Run afterWatch(WatchedProcess process, WatchedProcess.Outcome outcome, Assignment a, int port,
                           long generation) throws InterruptedException {
        switch (outcome) {
            case RESTART:
                log.heroku(DynoLogPhrases.RESTARTING);
                lastExit = process.stop();
                machine.restarted();
                backoff.reset();
                return Run.AGAIN;
            case STOP:
                if (orders.drainFirst() && a.isWeb()) sleepQuietly(ctx.config().drainDelay());
                lastExit = process.stop();
                return Run.STOPPED;
            case BOOT_TIMEOUT: {
                Integer code = process.killForBootTimeout();
                machine.crashed(port, code, "R10 boot timeout");
                orders.awaitBackoff(backoff.crashed(), generation);
                return Run.AGAIN;
            }
            default: { // EXITED
                int status = process.exitStatus();
                log.heroku(DynoLogPhrases.processExited(status));
                if (a.oneOff()) {
                    machine.completed(port, status);
                    return Run.ENDED;
                }
                machine.crashed(port, status, null);
                orders.awaitBackoff(backoff.crashedAfter(process.upFor()), generation);
                return Run.AGAIN;
            }
        }
    }

    private static void closeQuietly(RunningDyno running) {
        try {
            running.stdin().close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void sleepQuietly(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) Thread.sleep(d.toMillis());
    }
}
