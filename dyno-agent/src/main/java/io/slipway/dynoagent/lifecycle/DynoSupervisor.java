package io.slipway.dynoagent.lifecycle;

import io.slipway.dynoagent.api.AgentApiClient;
import io.slipway.dynoagent.assignments.Assignment;
import io.slipway.dynoagent.assignments.DynoSizes;
import io.slipway.dynoagent.attach.AttachSession;
import io.slipway.dynoagent.drivers.DynoSpec;
import io.slipway.dynoagent.drivers.RunningDyno;
import io.slipway.dynoagent.logs.DynoLog;
import io.slipway.dynoagent.slugs.SlugUnpacker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps one dyno as its assignment wants it, on a thread of its own: fetch and unpack the slug, take a port,
 * start the process, report {@code starting} then {@code up} (a web dyno once it accepts TCP on {@code $PORT},
 * others at once), and when it exits while it should be up report {@code crashed} and start it again (the first
 * restart at once, then after 10 s, 20 s, ... up to the cap, like Heroku's crash cool-off). A web dyno that does
 * not bind in time gets R10 and is killed. A one-off is never restarted: it is reported {@code down} with its
 * exit code. Retiring a dyno (desired {@code stopped}, or gone from the assignments): a web dyno first keeps
 * running for the drain delay so the router stops sending it requests, then SIGTERM, SIGKILL after the stop
 * timeout (R12), {@code down}, and its directory is deleted. A grown {@code restart_generation} restarts the
 * process with the same SIGTERM path. Every state change is logged as Heroku words it.
 *
 * <p>Calls to the api-server that fail never stop a dyno: states are also carried by the agent's heartbeats.
 * Only a 404 for the dyno (its row is gone) retires it.
 */
public final class DynoSupervisor {
    private static final Logger LOG = Logger.getLogger(DynoSupervisor.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final DynoContext ctx;
    private final Consumer<DynoSupervisor> onFinished;
    private final DynoLog log;
    private final Path dir;
    private final Object lock = new Object();
    private Assignment assignment;
    private long wantedGeneration;
    private boolean retiring;
    private boolean drain = true;
    private volatile String state = "starting";
    private volatile boolean finished;
    private int uid = -1; // the app's dyno user, known once the slug is prepared
    private java.util.List<DynoSpec.VolumeMount> volumes = java.util.List.of(); // bound, once prepared
    private Thread thread;

    private enum Outcome { EXITED, STOP, RESTART, BOOT_TIMEOUT }

    public DynoSupervisor(Assignment assignment, DynoContext ctx, Consumer<DynoSupervisor> onFinished) {
        this.assignment = assignment;
        this.ctx = ctx;
        this.onFinished = onFinished;
        this.wantedGeneration = assignment.restartGeneration();
        this.log = new DynoLog(ctx.logs(), assignment.appId(), assignment.name());
        this.dir = ctx.config().dataDir().resolve("dynos").resolve(safe(assignment.dynoId()));
    }

    public String dynoId() {
        return assignment.dynoId();
    }

    /** The last state reported: starting, up, crashed or down. */
    public String state() {
        return state;
    }

    public boolean finished() {
        return finished;
    }

    /**
     * Whether the dyno ended as intended (retired, or a one-off that ran): false after an unexpected failure of
     * the supervisor itself, so the agent may start it again at its next read of the assignments.
     */
    public boolean endedForGood() {
        synchronized (lock) {
            return retiring || assignment.oneOff();
        }
    }

    public void start() {
        thread = new Thread(this::run, "dyno-" + assignment.name() + "-" + assignment.dynoId());
        thread.setDaemon(true);
        thread.start();
    }

    /** A newer assignment for this dyno: maybe stopped, maybe a restart. */
    public void update(Assignment newer) {
        synchronized (lock) {
            assignment = newer;
            if (!newer.wantsUp()) retiring = true;
            if (newer.restartGeneration() > wantedGeneration) wantedGeneration = newer.restartGeneration();
            lock.notifyAll();
        }
    }

    /** Stops the dyno for good (drain first when it is a web dyno). */
    public void retire() {
        synchronized (lock) {
            retiring = true;
            lock.notifyAll();
        }
    }

    /** The attached user's connection ended before the process: a one-off nobody watches stops, as on Heroku. */
    private void clientGone() {
        log.heroku("Client connection closed. Stopping the process");
        retire();
    }

    /** Stops the dyno because the agent shuts down: SIGTERM at once, no drain. */
    public void shutdown() {
        synchronized (lock) {
            retiring = true;
            drain = false;
            lock.notifyAll();
        }
    }

    /** Waits until the dyno is stopped and cleaned up; false when it did not within {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        Thread t = thread;
        if (t == null) return true;
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    private void run() {
        int crashes = 0;
        Path app = null;
        int port = -1;
        Integer lastExit = null;
        try {
            while (!isRetiring()) {
                if (app == null) {
                    try {
                        app = prepare();
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, "dyno " + assignment.name() + ": cannot prepare the slug", e);
                        log.heroku("Error: cannot fetch the slug: " + e.getMessage());
                        report("crashed", null, null, "slug: " + e.getMessage());
                        crashes++;
                        waitBackoff(crashes, wantedGeneration());
                        continue;
                    }
                }
                if (port < 0) port = ctx.ports().allocate();
                long generation = wantedGeneration();
                Assignment a = current();
                report("starting", port, null, null);
                log.heroku("Starting process with command `" + a.command() + "`");
                AttachSession attach = null;
                if (a.attach() != null) {
                    try {
                        attach = AttachSession.connect(a.attach(), ctx.attachTls());
                    } catch (IOException e) {
                        log.heroku("Error: cannot attach to the terminal (" + e.getMessage() + ")");
                        report("down", port, null, "attach failed: " + e.getMessage());
                        return;
                    }
                }
                RunningDyno running;
                try {
                    running = ctx.driver().start(spec(a, app, port, attach));
                } catch (IOException e) {
                    if (attach != null) attach.close();
                    log.heroku("Error: the process could not be started (" + e.getMessage() + ")");
                    report("crashed", port, null, e.getMessage());
                    crashes++;
                    waitBackoff(crashes, generation);
                    continue;
                }
                if (attach != null) attach.pipeInputTo(running.stdin(), a.attach().tty(), this::clientGone);
                else closeQuietly(running); // without a terminal attached a dyno's stdin is empty, as on Heroku
                long startedAt = System.nanoTime();
                Outcome outcome;
                int[] exit = new int[1];
                boolean[] wasUp = new boolean[1];
                try {
                    outcome = watch(running, port, generation, exit, wasUp);
                    switch (outcome) {
                        case STOP:
                        case RESTART: {
                            boolean restart = outcome == Outcome.RESTART;
                            if (restart) log.heroku("Restarting");
                            if (!restart && drainFirst() && a.isWeb()) sleepQuietly(ctx.config().drainDelay());
                            lastExit = stop(running);
                            if (restart) {
                                log.heroku("State changed from " + (wasUp[0] ? "up" : "starting") + " to starting");
                                crashes = 0;
                                continue;
                            }
                            log.heroku("State changed from " + (wasUp[0] ? "up" : "starting") + " to down");
                            break;
                        }
                        case BOOT_TIMEOUT: {
                            long seconds = ctx.config().bootTimeout().toSeconds();
                            log.heroku("Error R10 (Boot timeout) -> Web process failed to bind to $PORT within "
                                    + seconds + " seconds of launch");
                            log.heroku("Stopping process with SIGKILL");
                            running.signal(RunningDyno.Signal.KILL);
                            Integer code = running.waitFor(Duration.ofSeconds(30));
                            log.heroku("Process exited with status " + (code == null ? 137 : code));
                            log.heroku("State changed from starting to crashed");
                            report("crashed", port, code, "R10 boot timeout");
                            crashes++;
                            waitBackoff(crashes, generation);
                            continue;
                        }
                        default: { // EXITED
                            log.heroku("Process exited with status " + exit[0]);
                            String from = wasUp[0] ? "up" : "starting";
                            if (a.oneOff()) {
                                log.heroku("State changed from " + from + " to complete");
                                lastExit = exit[0];
                                report("down", port, exit[0], null);
                                return;
                            }
                            log.heroku("State changed from " + from + " to crashed");
                            report("crashed", port, exit[0], null);
                            long upFor = System.nanoTime() - startedAt;
                            // a dyno that ran longer than the longest cool-off starts a fresh count
                            if (upFor > ctx.config().restartBackoffMax().toNanos()) crashes = 0;
                            crashes++;
                            waitBackoff(crashes, generation);
                            continue;
                        }
                    }
                } finally {
                    running.cleanup();
                    if (attach != null) attach.close();
                }
                break; // STOP
            }
            report("down", port < 0 ? null : port, lastExit, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "dyno " + assignment.name() + " supervisor failed", e);
            report("crashed", port < 0 ? null : port, null, String.valueOf(e.getMessage()));
        } finally {
            if (port >= 0) ctx.ports().release(port);
            ctx.driver().releaseSlugDir(dir.resolve("slug"));
            SlugUnpacker.deleteTree(dir);
            finished = true;
            onFinished.accept(this);
        }
    }

    /**
     * Watches a started process until it exits, must stop or restart, or (web) misses its boot timeout.
     * Reports {@code up} on the way.
     */
    private Outcome watch(RunningDyno running, int port, long generation, int[] exit, boolean[] wasUp)
            throws InterruptedException {
        Assignment a = current();
        long deadline = System.nanoTime() + ctx.config().bootTimeout().toNanos();
        if (!a.isWeb()) markUp(port, wasUp);
        while (true) {
            Integer code = running.waitFor(POLL);
            if (code != null) {
                exit[0] = code;
                return Outcome.EXITED;
            }
            synchronized (lock) {
                if (retiring) return Outcome.STOP;
                if (wantedGeneration > generation) return Outcome.RESTART;
            }
            if (!wasUp[0]) {
                if (PortProbe.accepts(ctx.config().host(), port)) {
                    markUp(port, wasUp);
                } else if (System.nanoTime() > deadline) {
                    return Outcome.BOOT_TIMEOUT;
                }
            }
        }
    }

    private void markUp(int port, boolean[] wasUp) {
        wasUp[0] = true;
        log.heroku("State changed from starting to up");
        report("up", port, null, null);
    }

    /** SIGTERM, SIGKILL after the stop timeout (R12); answers the exit status. */
    private Integer stop(RunningDyno running) throws InterruptedException {
        log.heroku("Stopping all processes with SIGTERM");
        running.signal(RunningDyno.Signal.TERM);
        Integer code = running.waitFor(ctx.config().stopTimeout());
        if (code == null) {
            log.heroku("Error R12 (Exit timeout) -> At least one process failed to exit within "
                    + ctx.config().stopTimeout().toSeconds() + " seconds of SIGTERM");
            log.heroku("Stopping process with SIGKILL");
            running.signal(RunningDyno.Signal.KILL);
            code = running.waitFor(Duration.ofSeconds(30));
        }
        log.heroku("Process exited with status " + (code == null ? 137 : code));
        return code;
    }

    private Path prepare() throws IOException, InterruptedException {
        Assignment a = current();
        ctx.driver().releaseSlugDir(dir.resolve("slug"));
        SlugUnpacker.deleteTree(dir);
        java.nio.file.Files.createDirectories(dir);
        if (a.slug() == null) throw new IOException("the assignment has no slug");
        Path tarball = ctx.slugs().fetch(a.slug().id(), a.slug().url(), a.slug().checksum());
        uid = ctx.driver().uidFor(String.valueOf(a.appId()));
        ctx.driver().prepareSlugDir(dir.resolve("slug"), DynoSizes.diskBytes(a), uid);
        Path app = SlugUnpacker.unpack(tarball, dir, uid);
        volumes = VolumeMounts.of(ctx.driver(), a, uid);
        return app;
    }

    private DynoSpec spec(Assignment a, Path app, int port, AttachSession attach) {
        Consumer<String> lines = attach == null ? log::app : null; // attached output goes to the user only
        return new DynoSpec(a.dynoId(), a.name(), a.command(), a.env(), app, dir, port,
                DynoSizes.memoryBytes(a), DynoSizes.pids(a), uid, attach != null && a.attach().tty(), lines,
                attach == null ? null : attach.output(), volumes);
    }

    /** Waits before the next restart: none after the first crash, then 10 s, 20 s, ... up to the cap. */
    private void waitBackoff(int crashes, long generation) throws InterruptedException {
        long millis = 0;
        if (crashes > 1) {
            long base = ctx.config().restartBackoff().toMillis();
            long cap = ctx.config().restartBackoffMax().toMillis();
            millis = base;
            for (int i = 2; i < crashes && millis < cap; i++) millis *= 2;
            millis = Math.min(millis, cap);
        }
        long until = System.nanoTime() + millis * 1_000_000;
        synchronized (lock) {
            while (!retiring && wantedGeneration == generation) {
                long left = (until - System.nanoTime()) / 1_000_000;
                if (left <= 0) return;
                lock.wait(left);
            }
        }
    }

    private void report(String newState, Integer port, Integer exitCode, String message) {
        state = newState;
        try {
            ctx.api().reportState(assignment.dynoId(), newState, port, exitCode, message);
        } catch (AgentApiClient.NotFoundException gone) {
            // the api-server dropped the dyno: it must not keep running (unless this was already the end)
            if (!newState.equals("down")) retire();
        } catch (IOException e) {
            LOG.fine("state report for " + assignment.name() + " failed (the heartbeat carries it): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isRetiring() {
        synchronized (lock) {
            return retiring;
        }
    }

    private boolean drainFirst() {
        synchronized (lock) {
            return drain;
        }
    }

    private long wantedGeneration() {
        synchronized (lock) {
            return wantedGeneration;
        }
    }

    private Assignment current() {
        synchronized (lock) {
            return assignment;
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

    private static String safe(String id) {
        return id.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
