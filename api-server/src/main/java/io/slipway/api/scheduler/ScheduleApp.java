package io.slipway.api.scheduler;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.fleet.DynoRow;
import io.slipway.api.fleet.DynoRows;
import io.slipway.shared.dynos.DynoState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles one app: its formation × its current release → the desired-up dynos {@code type.1..quantity}
 * of that release, placed on live agents. Idempotent: run it after anything that may have changed the
 * answer (a release, a scale, a dyno state report) and it changes only what differs.
 *
 * <p>Zero-downtime deploys: a new release gets its own new dynos while the old release's stay desired up.
 * Web dynos of the old release are retired once every new web dyno is {@code up}, or when one of them
 * crashed, or after {@code slipway.runtime.deploy-switch-timeout}, so a deploy never hangs. Other types
 * switch at once. Scaling down retires the highest-numbered dynos.
 */
@Service
public class ScheduleApp {
    private final SchedulerLock lock;
    private final DynoRows dynos;
    private final PlaceDyno placeDyno;
    private final RetireDynos retireDynos;
    private final RuntimeEvents runtimeEvents;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Duration switchTimeout;

    public ScheduleApp(SchedulerLock lock, DynoRows dynos, PlaceDyno placeDyno, RetireDynos retireDynos,
                       RuntimeEvents runtimeEvents, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                       ApiServerConfig config) {
        this.lock = lock;
        this.dynos = dynos;
        this.placeDyno = placeDyno;
        this.retireDynos = retireDynos;
        this.runtimeEvents = runtimeEvents;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
        this.switchTimeout = config.runtime().deploySwitchTimeout();
    }

    private record Process(String type, int quantity, String size, String command) {}

    /** {@code artifactId}: its slug or image; null while the app has no code to run. */
    private record CurrentRelease(UUID id, UUID artifactId) {}

    /**
     * Reconciles in its own transaction under the scheduler lock, unless the app has neither a dyno nor a process
     * type scaled above zero: then there is nothing to change, and one statement outside any transaction says so.
     * Most releases are of such apps on a busy control plane (config changes of apps not deployed yet or scaled
     * to zero), and each took the lock and five statements (docs/benchmarks.md, session 17). Checked without the
     * lock: a change that gives the app work commits its own scheduling event, which reconciles it again.
     */
    public void reconcile(UUID appId) {
        if (!hasWork(appId)) return;
        transaction.executeWithoutResult(status -> {
            lock.hold();
            RuntimeEvents.Batch events = runtimeEvents.batch();
            reconcile(appId, placeDyno.capacity(), events);
            events.publish();
        });
    }

    private boolean hasWork(UUID appId) {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM dynos WHERE app_id = ?) "
                + "OR EXISTS (SELECT 1 FROM formations WHERE app_id = ? AND quantity > 0)", Boolean.class, appId, appId));
    }

    /** Inside a transaction that already holds the scheduler lock. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void reconcile(UUID appId, Capacity capacity, RuntimeEvents.Batch events) {
        List<DynoRow> all = dynos.ofApp(appId);
        List<Process> formation = jdbc.query("SELECT type, quantity, size, command FROM formations WHERE app_id = ?",
                (rs, i) -> new Process(rs.getString("type"), rs.getInt("quantity"), rs.getString("size"),
                        rs.getString("command")), appId);
        CurrentRelease release = jdbc.query("SELECT id, COALESCE(slug_id, image_id) AS artifact_id FROM releases WHERE app_id = ? AND status = 'succeeded' "
                        + "ORDER BY version DESC LIMIT 1",
                (rs, i) -> new CurrentRelease(rs.getObject("id", UUID.class), rs.getObject("artifact_id", UUID.class)),
                appId).stream().findFirst().orElse(null);
        Map<String, Process> wanted = new HashMap<>();
        for (Process p : formation) if (p.quantity() > 0) wanted.put(p.type(), p);

        List<DynoRow> formationDynos = all.stream().filter(d -> !d.oneOff() && d.desiredUp()).toList();
        for (DynoRow d : formationDynos) {
            if (!wanted.containsKey(d.type())) retireDynos.retire(d, events);
        }
        if (release != null && release.artifactId() != null) {
            for (Process p : wanted.values()) {
                List<DynoRow> ofType = formationDynos.stream().filter(d -> d.type().equals(p.type())).toList();
                schedule(appId, p, release, ofType, capacity, events);
            }
        }
        // anything of this app still waiting for room (one-offs included)
        for (DynoRow d : dynos.ofApp(appId)) {
            if (d.agentId() == null && d.desiredUp()) placeDyno.place(d, capacity, events);
        }
    }

    private void schedule(UUID appId, Process p, CurrentRelease release, List<DynoRow> ofType, Capacity capacity,
                          RuntimeEvents.Batch events) {
        Map<Integer, DynoRow> current = new HashMap<>();
        List<DynoRow> old = new ArrayList<>();
        for (DynoRow d : ofType.stream().sorted(Comparator.comparing(DynoRow::createdAt)).toList()) {
            if (!Objects.equals(d.releaseId(), release.id())) {
                old.add(d);
            } else if (d.index() < 1 || d.index() > p.quantity() || current.containsKey(d.index())) {
                retireDynos.retire(d, events); // scaled down, or a stray duplicate
            } else {
                current.put(d.index(), d);
            }
        }
        for (int i = 1; i <= p.quantity(); i++) {
            DynoRow d = current.get(i);
            if (d == null) {
                d = dynos.insert(appId, release.id(), p.type() + "." + i, p.type(), p.command(), p.size(), false,
                        null, false, null, null);
                events.dynoState(d, d.state(), null, null);
                placeDyno.place(d, capacity, events);
                current.put(i, d);
            } else if (!d.size().equals(p.size())) {
                // ps:resize: the same dyno restarts with the new memory limit
                dynos.resize(d.id(), p.size());
                events.agent(d.agentId());
            }
        }
        if (old.isEmpty()) return;
        boolean switchNow = !"web".equals(p.type()) || switchable(current.values());
        for (DynoRow d : old) {
            if (switchNow || d.index() > p.quantity()) retireDynos.retire(d, events);
        }
    }

    /** The new release's web dynos are all up, or one crashed, or they have had long enough. */
    private boolean switchable(Iterable<DynoRow> fresh) {
        boolean allUp = true;
        Instant oldest = Instant.MAX;
        for (DynoRow d : fresh) {
            if (DynoState.CRASHED.is(d.state())) return true;
            if (!DynoState.UP.is(d.state())) allUp = false;
            if (d.createdAt().isBefore(oldest)) oldest = d.createdAt();
        }
        return allUp || Instant.now().isAfter(oldest.plus(switchTimeout));
    }
}
