package io.slipway.api.scheduler;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.events.EventNotifications;
import io.slipway.api.events.EventReader;
import io.slipway.api.events.StoredEvent;
import io.slipway.api.fleet.AgentRows;
import io.slipway.shared.events.EventTypes;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the scheduler in this api-server: woken by committed events (via {@link EventNotifications}), it
 * reads the events after its cursor and reconciles the apps they name. Every
 * {@code slipway.runtime.scheduler-interval} it also sweeps lost agents and reconciles apps with work
 * pending (unplaced dynos, an unfinished deploy switch), and every {@code full-pass-interval} every app, as a
 * backstop for anything missed. All replicas may run this loop; {@link SchedulerLock} makes their changes
 * take turns, and reconciling is idempotent.
 */
@Component
public class SchedulerLoop implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(SchedulerLoop.class);
    private static final Set<String> SCHEDULING_EVENTS = Set.of(EventTypes.RELEASE_CREATED,
            EventTypes.FORMATION_CHANGED, EventTypes.DYNO_STATE_CHANGED, EventTypes.DYNO_RESTART_REQUESTED,
            EventTypes.DYNO_STOP_REQUESTED);
    private static final String PENDING_APPS = "SELECT DISTINCT d.app_id FROM dynos d WHERE d.desired_state = 'up' "
            + "AND (d.agent_id IS NULL OR (NOT d.one_off AND d.release_id IS DISTINCT FROM (SELECT r.id FROM releases r "
            + "WHERE r.app_id = d.app_id AND r.status = 'succeeded' ORDER BY r.version DESC LIMIT 1)))";

    private final ApiServerConfig.Runtime config;
    private final EventNotifications notifications;
    private final EventReader reader;
    private final ScheduleApp scheduleApp;
    private final SweepLostAgents sweepLostAgents;
    private final PlaceUnplaced placeUnplaced;
    private final PlaceDyno placeDyno;
    private final AgentRows agents;
    private final RuntimeEvents runtimeEvents;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Semaphore wake = new Semaphore(0);
    /** The last event this loop has read (only its thread touches it); -1 until the first pass. */
    private long cursor = -1;
    private final java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private Runnable unsubscribe;
    private Thread thread;

    public SchedulerLoop(ApiServerConfig config, EventNotifications notifications, EventReader reader,
                         ScheduleApp scheduleApp, SweepLostAgents sweepLostAgents, PlaceUnplaced placeUnplaced,
                         PlaceDyno placeDyno, AgentRows agents, RuntimeEvents runtimeEvents, JdbcTemplate jdbc,
                         PlatformTransactionManager transactions) {
        this.config = config.runtime();
        this.notifications = notifications;
        this.reader = reader;
        this.scheduleApp = scheduleApp;
        this.sweepLostAgents = sweepLostAgents;
        this.placeUnplaced = placeUnplaced;
        this.placeDyno = placeDyno;
        this.agents = agents;
        this.runtimeEvents = runtimeEvents;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Passes that ran to the end (sweep included) since start (diagnostics). */
    public long passesSoFar() {
        return passes.get();
    }

    /** Asks for a pass now (tests, and anyone who just changed something). */
    public void wakeUp() {
        wake.release();
    }

    @Override
    public synchronized void start() {
        if (running || !config.schedulerEnabled()) return;
        running = true;
        unsubscribe = notifications.subscribe(this::wakeUp);
        thread = new Thread(this::loop, "slipway-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (unsubscribe != null) unsubscribe.run();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server and the event listener. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

    private void loop() {
        long nextFullPass = System.nanoTime(); // the first pass is a full one
        // since when this replica has run its passes and reached the database without a break (see SweepLostAgents)
        java.time.Instant listeningSince = java.time.Instant.now();
        long lastPassEnd = System.nanoTime();
        long pauseNanos = TimeUnit.SECONDS.toNanos(Math.max(1, config.lostAfterSeconds() / 2));
        while (running) {
            // a process paused (SIGSTOP, a VM freeze, a long GC) heard nothing meanwhile either
            if (System.nanoTime() - lastPassEnd > config.schedulerInterval().toNanos() + pauseNanos) {
                listeningSince = java.time.Instant.now();
            }
            long started = System.nanoTime();
            long placedBefore = placeDyno.placedSoFar();
            boolean full = false;
            Set<UUID> apps = new LinkedHashSet<>();
            int reconciled = 0;
            try {
                apps.addAll(appsOfNewEvents());
                sweepLostAgents.sweep(listeningSince);
                if (System.nanoTime() - nextFullPass >= 0) {
                    full = true;
                    apps.addAll(jdbc.queryForList("SELECT id FROM apps ORDER BY created_at", UUID.class));
                    nextFullPass = System.nanoTime() + config.fullPassInterval().toNanos();
                } else {
                    apps.addAll(jdbc.queryForList(PENDING_APPS, UUID.class));
                }
                Set<UUID> servedEarly = new java.util.HashSet<>();
                for (UUID app : apps) {
                    if (!running) break;
                    // a full pass of many apps takes seconds: a change made meanwhile (ps:scale, a release) is
                    // served first instead of waiting for the pass to end, and its app is not done again below
                    if (full && wake.tryAcquire()) {
                        wake.drainPermits();
                        for (UUID changed : appsOfNewEvents()) {
                            scheduleApp.reconcile(changed);
                            servedEarly.add(changed);
                            reconciled++;
                        }
                    }
                    if (servedEarly.contains(app)) continue;
                    scheduleApp.reconcile(app);
                    reconciled++;
                }
                placeUnplaced.placeAll();
                passes.incrementAndGet();
            } catch (RuntimeException e) {
                listeningSince = java.time.Instant.now(); // the database was away: agents could not be heard either
                if (running) log.warn("scheduler pass failed: {}", e.toString());
            }
            lastPassEnd = System.nanoTime();
            logPass(full, reconciled, started, placeDyno.placedSoFar() - placedBefore);
            try {
                Duration interval = config.schedulerInterval();
                if (wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS)) wake.drainPermits();
            } catch (InterruptedException e) {
                if (!running) return;
            }
        }
    }

    /**
     * The apps named by scheduling events committed since the last call (none on the first: the first pass is a
     * full one); a deleted app makes every agent re-read its assignments.
     */
    private Set<UUID> appsOfNewEvents() {
        Set<UUID> apps = new LinkedHashSet<>();
        if (cursor < 0) {
            cursor = reader.lastSeq();
            return apps;
        }
        boolean appDeleted = false;
        List<StoredEvent> batch;
        do {
            batch = reader.after(cursor, 500);
            for (StoredEvent e : batch) {
                cursor = e.seq();
                if (e.appId() != null && SCHEDULING_EVENTS.contains(e.type())) apps.add(e.appId());
                if (EventTypes.APP_DELETED.equals(e.type())) appDeleted = true;
            }
        } while (batch.size() == 500 && running);
        if (appDeleted) tellEveryAgent();
        return apps;
    }

    /**
     * Full passes and slow ones at INFO, the rest at DEBUG: what an operator needs to see the pass grow with the
     * number of apps and agents (docs/benchmarks.md, scale simulation). Placements by registering or returning
     * agents during the pass are counted too.
     */
    private static void logPass(boolean full, int apps, long started, long placed) {
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (full || ms >= 1000) {
            log.info("scheduler pass{}: {} apps reconciled, {} dynos placed, in {} ms", full ? " (full)" : "", apps, placed, ms);
        } else if (log.isDebugEnabled()) {
            log.debug("scheduler pass: {} apps reconciled, {} dynos placed, in {} ms", apps, placed, ms);
        }
    }

    /** An app's dyno rows went with it: every agent re-reads its assignments and stops what is gone. */
    private void tellEveryAgent() {
        transaction.executeWithoutResult(tx -> {
            RuntimeEvents.Batch events = runtimeEvents.batch();
            agents.live().forEach(a -> events.agent(a.id()));
            events.publish();
        });
    }
}
