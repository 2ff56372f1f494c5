package io.slipway.dynoagent;

import io.slipway.dynoagent.api.AgentApiClient;
import io.slipway.dynoagent.assignments.Assignment;
import io.slipway.dynoagent.config.AgentConfig;
import io.slipway.dynoagent.drivers.Drivers;
import io.slipway.dynoagent.drivers.DynoDriver;
import io.slipway.dynoagent.lifecycle.VolumeJanitor;
import io.slipway.dynoagent.lifecycle.DynoContext;
import io.slipway.dynoagent.lifecycle.DynoSupervisor;
import io.slipway.dynoagent.lifecycle.PortAllocator;
import io.slipway.dynoagent.slugs.SlugCache;
import io.slipway.dynoagent.slugs.SlugUnpacker;
import io.slipway.shared.events.Event;
import io.slipway.shared.events.EventStreamClient;
import io.slipway.shared.events.EventSubscription;
import io.slipway.shared.http.TrustedHttpClients;
import io.slipway.shared.logs.LogShipper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/**
 * One host's dyno-agent: registers with the api-server, heartbeats, and keeps the dynos the scheduler assigned
 * to it running ({@link DynoSupervisor} per dyno). Assignments are read at start, whenever an
 * {@code agent.assignments_changed} event names this agent, and every few seconds as a backstop; each read is
 * reconciled: missing dynos are started, dynos no longer wanted are retired, restarts are passed on.
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
    private final Map<String, DynoSupervisor> dynos = new ConcurrentHashMap<>();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final Object reconcileLock = new Object();
    private final Object resyncLock = new Object(); // event-driven and periodic reads never overlap
    private ScheduledExecutorService scheduler;
    /** Heartbeats alone on their own thread: a slow resync (an api-server timing out) never delays one. */
    private ScheduledExecutorService heartbeats;
    private HttpClient http;
    private LogShipper logs;
    private AgentApiClient api;
    private DynoContext context;
    private VolumeJanitor volumeJanitor;
    private EventStreamClient events;
    private volatile EventSubscription subscription;
    private volatile boolean registered;
    private volatile boolean closed;
    private volatile int heartbeatSeconds = 3;

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
        http = TrustedHttpClients.create(config.caFile());
        api = new AgentApiClient(config.apiUrl(), config.internalToken(), http, config.agentId());
        logs = new LogShipper(config.apiUrl(), config.internalToken(), http);
        context = new DynoContext(config, driver, new SlugCache(config.dataDir().resolve("slugs"), http),
                new PortAllocator(config.portFrom(), config.portTo()), api, logs, attachTls());
        volumeJanitor = new VolumeJanitor(driver, api);
        events = EventStreamClient.builder(config.apiUrl(), config.internalToken()).httpClient(
                TrustedHttpClients.create(config.caFile())).build();
        // nothing runs yet: whatever a previous run left behind is stale
        driver.cleanupLeftovers();
        SlugUnpacker.deleteTree(config.dataDir().resolve("dynos"));
        LOG.info("dyno-agent " + config.agentId() + " starting with the " + driver.name() + " driver: " + config);
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dyno-agent");
            t.setDaemon(true);
            return t;
        });
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dyno-agent-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.execute(this::resync);
        scheduler.scheduleWithFixedDelay(this::resync, config.resyncInterval().toMillis(),
                config.resyncInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduleHeartbeat();
    }

    /** Dyno id → last reported state, of the dynos this agent runs now. */
    public Map<String, String> dynoStates() {
        Map<String, String> states = new LinkedHashMap<>();
        dynos.forEach((id, s) -> states.put(id, s.state()));
        return states;
    }

    private void scheduleHeartbeat() {
        if (closed) return;
        heartbeats.schedule(() -> {
            try {
                heartbeat();
            } finally {
                scheduleHeartbeat();
            }
        }, heartbeatSeconds, TimeUnit.SECONDS);
    }

    private void heartbeat() {
        if (!registered) return; // resync registers first
        try {
            api.heartbeat(dynoStates());
        } catch (AgentApiClient.NotFoundException e) {
            LOG.warning("the api-server does not know this agent (any more): registering again");
            registered = false;
            scheduler.execute(this::resync);
        } catch (IOException e) {
            LOG.fine("heartbeat failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            if (!registered) {
                AgentApiClient.Registration r = api.register(config.host(), config.memoryMb(), config.dynoSlots());
                heartbeatSeconds = r.heartbeatSeconds();
                registered = true;
                LOG.info("registered as agent " + config.agentId() + " (heartbeat every " + heartbeatSeconds + " s)");
            }
            AgentApiClient.Assignments assignments = api.assignments();
            reconcile(assignments.dynos());
            volumeJanitor.collect(assignments.dynos());
            if (subscription == null && !closed) follow(assignments.seq());
        } catch (AgentApiClient.NotFoundException e) {
            registered = false;
            LOG.warning("the api-server does not know this agent: registering again");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot reach the api-server (" + e.getMessage() + "); dynos keep running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Follows the event stream from the assignments' seq: an assignment change for us triggers a re-read. */
    private synchronized void follow(long seq) {
        if (subscription != null || closed) return;
        subscription = events.follow(seq, this::onEvent);
    }

    private void onEvent(Event event) {
        if ("agent.assignments_changed".equals(event.type())
                && config.agentId().equals(event.payloadString("agent_id")) && !closed) {
            try {
                scheduler.execute(this::resync);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                return; // the agent is closing
            }
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

    private void reconcile(List<Assignment> wanted) {
        synchronized (reconcileLock) {
            if (closed) return;
            Set<String> seen = new HashSet<>();
            for (Assignment a : wanted) {
                if (a.dynoId() == null) continue;
                seen.add(a.dynoId());
                DynoSupervisor running = dynos.get(a.dynoId());
                if (running != null) {
                    running.update(a);
                    continue;
                }
                if (finished.contains(a.dynoId())) continue; // a one-off that ended, or one we stopped
                if (!a.wantsUp()) {
                    reportDown(a.dynoId()); // not running here: confirm so the api-server drops it
                    finished.add(a.dynoId());
                    continue;
                }
                DynoSupervisor supervisor = new DynoSupervisor(a, context, this::onFinished);
                dynos.put(a.dynoId(), supervisor);
                supervisor.start();
            }
            for (DynoSupervisor s : new ArrayList<>(dynos.values())) {
                if (!seen.contains(s.dynoId())) s.retire();
            }
            finished.retainAll(seen);
        }
    }

    private void onFinished(DynoSupervisor supervisor) {
        synchronized (reconcileLock) {
            dynos.remove(supervisor.dynoId(), supervisor);
            if (supervisor.endedForGood()) finished.add(supervisor.dynoId());
        }
    }

    private void reportDown(String dynoId) {
        try {
            api.reportState(dynoId, "down", null, null, null);
        } catch (IOException e) {
            LOG.fine("reporting " + dynoId + " down failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SSLContext attachTls() {
        if (config.caFile() != null) return TrustedHttpClients.sslContextTrusting(config.caFile());
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops every dyno (SIGTERM, SIGKILL after the stop timeout), reports them down, and stops the agent. */
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
        heartbeats.shutdownNow();
        List<DynoSupervisor> all;
        synchronized (reconcileLock) {
            all = new ArrayList<>(dynos.values());
        }
        for (DynoSupervisor s : all) s.shutdown();
        for (DynoSupervisor s : all) {
            try {
                if (!s.awaitFinished(config.stopTimeout().plusSeconds(45))) {
                    LOG.warning("dyno " + s.dynoId() + " did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        logs.close();
        driver.close(); // the dyno network (rules, namespaces, the claimed subnet) goes with the agent
    }
}
