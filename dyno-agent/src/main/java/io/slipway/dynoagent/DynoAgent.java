package io.slipway.dynoagent;

import io.slipway.shared.agents.AgentsClient;
import io.slipway.shared.internalapi.InternalApiException;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.Drivers;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.images.ImageJanitor;
import io.slipway.dynoagent.lifecycle.DynoSupervisor;
import io.slipway.dynoagent.lifecycle.VolumeJanitor;
import io.slipway.shared.dynos.DynoState;
import io.slipway.shared.events.Event;
import io.slipway.shared.events.EventSubscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One host's dyno-agent: registers with the api-server, heartbeats ({@link Heartbeats}), and keeps the dynos the
 * scheduler assigned to it running ({@link DynoReconciler}, a {@link DynoSupervisor} per dyno). Assignments are
 * read at start, whenever an {@code agent.assignments_changed} event names this agent, and every few seconds as
 * a backstop; each read is reconciled. Its parts are built from the config by {@link AgentParts}.
 *
 * <p>When the api-server cannot be reached the agent keeps its dynos as they are: a failed call never stops a
 * dyno. {@link #close()} stops every dyno (SIGTERM, SIGKILL after the stop timeout): dynos do not outlive their
 * agent, and the scheduler places them again. An agent that crashed leaves containers behind; the next
 * {@link #start()} removes them before anything else.
 */
public final class DynoAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DynoAgent.class.getName());

    private final AgentConfig config;
    private final DynoDriver driver;
    private final Object resyncLock = new Object(); // event-driven and periodic reads never overlap
    private ScheduledExecutorService scheduler;
    private AgentParts parts;
    private DynoReconciler dynos;
    private Heartbeats heartbeats;
    private VolumeJanitor volumeJanitor;
    private volatile EventSubscription subscription;
    private volatile boolean closed;

    public DynoAgent(AgentConfig config) {
        this(config, Drivers.create(config));
    }

    public DynoAgent(AgentConfig config, DynoDriver driver) {
        this.config = config;
        this.driver = driver;
    }

    public AgentConfig config() {
        return config;
    }

    public synchronized void start() throws IOException {
        Files.createDirectories(config.dataDir());
        parts = AgentParts.build(config, driver);
        dynos = new DynoReconciler(parts.dynos(), parts.api());
        heartbeats = new Heartbeats(parts.api(), dynos::states, this::resyncSoon);
        volumeJanitor = new VolumeJanitor(driver, parts.api());
        // nothing runs yet: whatever a previous run left behind is stale
        driver.cleanupLeftovers();
        io.slipway.shared.fs.TreeDelete.deleteOrLog(config.dataDir().resolve("dynos"));
        parts.dynos().images().clearAll(); // unpacked again when used: a crash may have left half a root
        LOG.info("dyno-agent " + config.agentId() + " starting with the " + driver.name() + " driver: " + config);
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dyno-agent");
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::resync);
        scheduler.scheduleWithFixedDelay(this::resync, config.resyncInterval().toMillis(),
                config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
        heartbeats.start();
    }

    /** Dyno id → last reported state, of the dynos this agent runs now. */
    public Map<String, DynoState> dynoStates() {
        DynoReconciler d = dynos;
        return d == null ? Map.of() : d.states();
    }

    private void resyncSoon() {
        if (closed) return;
        try {
            scheduler.execute(this::resync);
        } catch (RejectedExecutionException closing) {
            // the agent is closing
        }
    }

    /** Registers when needed, reads the assignments and reconciles; any failure waits for the next round. */
    private void resync() {
        synchronized (resyncLock) {
            resyncOnce();
        }
    }

    private void resyncOnce() {
        if (closed) return;
        try {
            if (!heartbeats.isRegistered()) {
                AgentsClient.Registration r = parts.api().register(config.host(), config.memoryMb(),
                        config.dynoSlots());
                heartbeats.registered(r.heartbeatSeconds());
                LOG.info("registered as agent " + config.agentId() + " (heartbeat every " + r.heartbeatSeconds()
                        + " s)");
            }
            AgentsClient.Assignments assignments = parts.api().assignments();
            dynos.reconcile(assignments.dynos());
            volumeJanitor.collect(assignments.dynos());
            ImageJanitor.collect(parts.dynos().images(), assignments.dynos());
            if (subscription == null && !closed) follow(assignments.seq());
        } catch (IOException | RuntimeException e) {
            if (InternalApiException.notFound(e)) {
                heartbeats.unregistered();
                LOG.warning("the api-server does not know this agent: registering again");
                return;
            }
            LOG.log(Level.WARNING, "cannot reach the api-server (" + e.getMessage() + "); dynos keep running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Follows the event stream from the assignments' seq: an assignment change for us triggers a re-read. */
    private synchronized void follow(long seq) {
        if (subscription != null || closed) return;
        subscription = parts.events().follow(seq, this::onEvent);
    }

    private void onEvent(Event event) {
        if ("agent.assignments_changed".equals(event.type())
                && config.agentId().equals(event.payloadString("agent_id"))) {
            resyncSoon();
        }
        persistSeq(event.seq());
    }

    /** The last event seen, kept in the data dir for diagnostics and as the resume point of the stream. */
    private void persistSeq(long seq) {
        try {
            Path file = config.dataDir().resolve("last-event-seq");
            Path tmp = config.dataDir().resolve("last-event-seq.tmp");
            Files.writeString(tmp, seq + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.fine("cannot persist the event seq: " + e.getMessage());
        }
    }

    /** The last event seq persisted by this agent, or 0. */
    public long persistedSeq() {
        try {
            return Long.parseLong(Files.readString(config.dataDir().resolve("last-event-seq")).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Stops every dyno (SIGTERM, SIGKILL after the stop timeout), reports them down, and stops the agent. Nothing
     * it mounted stays mounted (image roots, volumes), but a volume a dyno that would not stop still runs on.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed || scheduler == null) {
                closed = true;
                return;
            }
            closed = true;
        }
        EventSubscription sub = subscription;
        if (sub != null) sub.close();
        scheduler.shutdownNow();
        heartbeats.close();
        dynos.stopAll(config.stopTimeout().plusSeconds(45));
        parts.logs().close();
        parts.dynos().images().unmountAll();
        // the dyno network (rules, namespaces, the claimed subnet) goes with the agent, and the volumes' mounts
        driver.close();
    }
}
