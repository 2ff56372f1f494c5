package io.slipway.api.addons.redis;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.provider.Provisioned;
import io.slipway.shared.net.LocalPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.util.FileSystemUtils;

/**
 * Real redis-server instances for a test class: its own data directory and port range (ports found free
 * now, so parallel test runs do not collide), a supervisor and a provider wired as in the api-server. Add-ons
 * are made as {@code addons:create} will make them: the row in provisioning, the provider, then provisioned.
 */
final class RedisFixture implements AutoCloseable {
    static final AddonPlan MINI = new AddonPlan("heroku-redis:mini", "Mini", true, 0, 20, 0, 25, "noeviction");
    /** Small enough that a test fills it quickly. */
    static final AddonPlan TINY = new AddonPlan("heroku-redis:test-tiny", "Test tiny", false, 0, 10, 0, 2, "noeviction");
    static final AddonPlan LARGER = new AddonPlan("heroku-redis:test-larger", "Test larger", false, 0, 30, 0, 16, "noeviction");

    final Path dataDir;
    final RedisAddonsConfig config;
    final AddonRepository addons;
    final RedisInstanceRepository instances;
    final RedisPorts ports;
    RedisSupervisor supervisor;
    RedisAddonProvider provider;
    private final List<Addon> made = new ArrayList<>();

    RedisFixture(AddonRepository addons, RedisInstanceRepository instances) {
        this(addons, instances, 0);
    }

    /** {@code uidBase}: instances drop to uids from there (the data directory stays root's alone, mode 700). */
    RedisFixture(AddonRepository addons, RedisInstanceRepository instances, int uidBase) {
        try {
            this.dataDir = Files.createTempDirectory("slipway-redis-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int first = freePortRangeStart(20);
        this.config = new RedisAddonsConfig("/usr/bin/redis-server", dataDir.toString(), "127.0.0.1", first,
                first + 19, "", "", "", uidBase, Duration.ofMillis(200));
        this.addons = addons;
        this.instances = instances;
        this.ports = new RedisPorts(instances);
        startSupervisor();
    }

    /** A new supervisor on the same configuration, as after a restart of the platform. */
    void startSupervisor() {
        supervisor = new RedisSupervisor(config, addons, instances, RedisFixture::plan);
        provider = new RedisAddonProvider(supervisor, instances, ports);
        supervisor.start();
    }

    static Optional<AddonPlan> plan(String name) {
        return List.of(MINI, TINY, LARGER).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    Addon provision(UUID appId, AddonPlan plan) {
        Addon addon = addons.saveAndFlush(new Addon("redis-test-" + UUID.randomUUID().toString().substring(0, 8),
                appId, RedisAddonProvider.SERVICE, plan.name()));
        Provisioned p = provider.provision(addon, plan);
        addon.provisioned(p.providerId(), p.config());
        made.add(addon);
        return addons.saveAndFlush(addon);
    }

    void deprovision(Addon addon) {
        provider.deprovision(addon);
        Addon fresh = addons.findById(addon.id()).orElseThrow();
        fresh.deprovisioned();
        addons.saveAndFlush(fresh);
    }

    static RedisUrl url(Addon addon) {
        return RedisUrl.parse(addon.config().get("URL"));
    }

    @Override
    public void close() {
        for (Addon a : made) {
            Addon fresh = addons.findById(a.id()).orElse(null);
            if (fresh != null && !Addon.DEPROVISIONED.equals(fresh.state())) deprovision(fresh);
        }
        supervisor.stop();
        FileSystemUtils.deleteRecursively(dataDir.toFile());
    }

    /**
     * The first of {@code n} consecutive ports that are free right now, all below the ephemeral range: redis binds
     * them later, and an outgoing connection could take one of the range meanwhile ({@link LocalPorts}).
     */
    private static int freePortRangeStart(int n) {
        int span = Math.max(1_000, LocalPorts.ephemeralRangeStart() - n - LocalPorts.FIRST_CHOSEN);
        for (int attempt = 0; attempt < 200; attempt++) {
            int start = LocalPorts.FIRST_CHOSEN + java.util.concurrent.ThreadLocalRandom.current().nextInt(span);
            boolean free = true;
            for (int p = start; p < start + n && free; p++) free = LocalPorts.isFree("127.0.0.1", p);
            if (free) return start;
        }
        throw new IllegalStateException("no free port range");
    }

    Map<String, String> configOf(Addon addon) {
        return addon.config();
    }
}
