package io.slipway.api.addons.redis;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.shared.fs.TreeDelete;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import redis.clients.jedis.Jedis;

/**
 * Runs the heroku-redis instances of the Redis host ({@link RedisAddonsConfig#runsInstancesHere()}): at startup
 * every provisioned add-on's {@code redis-server}, then, every {@code reconcileEvery} and whenever one exits,
 * converges on the database: starts what is missing or died, applies changed limits, stops and deletes what was
 * deprovisioned (also when that happened on another replica). At shutdown it stops them all; their data stays.
 * The database is the desired state, as for dynos; the processes and their directories are host-local.
 */
@Component
public class RedisSupervisor implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(RedisSupervisor.class);
    /** A port recorded this long ago for an add-on that never got its row was a provision that failed. */
    private static final java.time.Duration ABANDONED_AFTER = java.time.Duration.ofMinutes(10);

    private final RedisAddonsConfig config;
    private final AddonRepository addons;
    private final RedisInstanceRepository instances;
    private final Function<String, Optional<AddonPlan>> plans;
    private final Map<UUID, Running> running = new HashMap<>();
    private ScheduledExecutorService loop;
    private volatile boolean stopping;

    /** A started instance; {@code desired} is what the database asked for when last looked at. */
    private static final class Running {
        final RedisServerProcess process;
        final String password;
        RedisLimits desired;

        Running(RedisServerProcess process, String password, RedisLimits desired) {
            this.process = process;
            this.password = password;
            this.desired = desired;
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    public RedisSupervisor(ApiServerConfig config, AddonRepository addons, RedisInstanceRepository instances,
                           AddonCatalogue catalogue) {
        this(config.addons().redis(), addons, instances, catalogue::plan);
    }

    /** {@code plans}: a plan by its full name (the catalogue's). */
    public RedisSupervisor(RedisAddonsConfig config, AddonRepository addons, RedisInstanceRepository instances,
                           Function<String, Optional<AddonPlan>> plans) {
        this.config = config;
        this.addons = addons;
        this.instances = instances;
        this.plans = plans;
    }

    public RedisAddonsConfig config() {
        return config;
    }

    /** Whether this replica runs instances; the others only record add-ons and the host converges. */
    public boolean active() {
        return config.runsInstancesHere();
    }

    public Path dir(UUID addonId) {
        return Path.of(config.dataDir()).resolve(addonId.toString());
    }

    /** Starts the instance unless it runs already with this password; returns once it answers. */
    public synchronized void ensureRunning(UUID addonId, int port, String password, RedisLimits limits) {
        Running r = running.get(addonId);
        if (r != null && r.process.alive() && r.password.equals(password) && r.process.port == port) return;
        if (r != null) {
            running.remove(addonId);
            r.process.stop();
        }
        String adminPassword = RedisSecrets.newPassword();
        RedisServerProcess process = RedisServerProcess.start(config, dir(addonId), port, password, adminPassword, limits);
        running.put(addonId, new Running(process, password, limits));
        process.onExit().thenRun(this::exited);
    }

    /** Applies new limits to a running instance, live ({@code CONFIG SET} as the admin user). */
    public synchronized void applyLimits(UUID addonId, RedisLimits limits) {
        Running r = running.get(addonId);
        if (r == null || !r.process.alive()) return; // the next start writes them into its config
        RedisAdmin.apply(r.process.adminHost, r.process.port, r.process.adminPassword, limits);
    }

    /** Stops the instance and deletes its data. */
    public synchronized void remove(UUID addonId) {
        Running r = running.remove(addonId);
        if (r != null) r.process.stop();
        TreeDelete.deleteOrLog(dir(addonId));
    }

    /** For tests and the data API: a call as the admin user, if the instance runs here. */
    synchronized <T> Optional<T> admin(UUID addonId, Function<Jedis, T> work) {
        Running r = running.get(addonId);
        if (r == null || !r.process.alive()) return Optional.empty();
        return Optional.ofNullable(RedisAdmin.call(r.process.adminHost, r.process.port, r.process.adminPassword, work));
    }

    public synchronized boolean runs(UUID addonId) {
        Running r = running.get(addonId);
        return r != null && r.process.alive();
    }

    /** One pass of convergence on the database (see the class comment). */
    public synchronized void reconcile() {
        if (!active() || stopping) return;
        Set<UUID> keep = new HashSet<>();
        for (RedisInstance row : instances.findAll()) {
            UUID id = row.addonId();
            Optional<Addon> found = addons.findById(id);
            if (found.isEmpty()) {
                if (row.createdAt().isBefore(java.time.Instant.now().minus(ABANDONED_AFTER))) {
                    remove(id);
                    instances.delete(row);
                } else {
                    keep.add(id); // being created right now (the port is recorded first): not ours to judge yet
                }
                continue;
            }
            Addon addon = found.get();
            if (Addon.DEPROVISIONED.equals(addon.state())) {
                remove(id);
                instances.delete(row);
                continue;
            }
            keep.add(id);
            String url = addon.config().get("URL");
            Optional<AddonPlan> plan = plans.apply(addon.plan());
            if (!Addon.PROVISIONED.equals(addon.state()) || url == null || plan.isEmpty()) continue;
            RedisLimits desired = RedisLimits.of(plan.get(), row);
            Running r = running.get(id);
            try {
                if (r == null || !r.process.alive()) {
                    if (r != null) log.warn("redis-server of add-on {} exited; starting it again", addon.name());
                    ensureRunning(id, row.port(), RedisUrl.parse(url).password(), desired);
                } else if (!desired.equals(r.desired)) {
                    // only a change in the database is applied: a plan change made here already is not undone
                    // while its add-on row is being updated
                    applyLimits(id, desired);
                    r.desired = desired;
                }
            } catch (RuntimeException e) {
                log.warn("cannot run redis-server of add-on {}: {}", addon.name(), e.getMessage());
            }
        }
        for (UUID id : List.copyOf(running.keySet())) {
            if (!keep.contains(id)) remove(id);
        }
        deleteOrphanDirectories(keep);
    }

    private void deleteOrphanDirectories(Set<UUID> keep) {
        Path root = Path.of(config.dataDir());
        if (!Files.isDirectory(root)) return;
        try (var children = Files.list(root)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                UUID id;
                try {
                    id = UUID.fromString(child.getFileName().toString());
                } catch (IllegalArgumentException notOurs) {
                    continue;
                }
                if (!keep.contains(id) && !running.containsKey(id)) TreeDelete.deleteOrLog(child);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void exited() {
        ScheduledExecutorService l = loop;
        if (stopping || l == null) return;
        try {
            // not at once: a process that dies at start would otherwise be restarted in a tight loop
            l.schedule(this::reconcileQuietly, 1, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // stop() is under way
        }
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            log.warn("heroku-redis reconcile failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (config.offered() && !active()) {
            // said once, so an operator who named the Redis host wrongly sees it here rather than as add-ons that
            // never start
            log.info("heroku-redis instances run on replica '{}', not on this one ('{}'): add-ons are only recorded here",
                    config.hostId(), config.thisReplica());
        }
        if (!active() || loop != null) return;
        stopping = false;
        try {
            Files.createDirectories(Path.of(config.dataDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Redis data directory " + config.dataDir(), e);
        }
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "redis-supervisor");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.reconcileEvery().toMillis());
        loop.scheduleWithFixedDelay(this::reconcileQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopping = true;
        ScheduledExecutorService l;
        synchronized (this) {
            l = loop;
            loop = null;
        }
        if (l != null) l.shutdownNow();
        synchronized (this) {
            for (Running r : running.values()) r.process.stop();
            running.clear();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return loop != null;
    }
}
