package io.slipway.api.addons.redis;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.provider.AddonProvider;
import io.slipway.api.addons.provider.Provisioned;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * heroku-redis: one password-protected {@code redis-server} per add-on (see {@link RedisSupervisor}), reached at
 * {@code REDIS_URL=redis://default:PASSWORD@PUBLIC_HOST:PORT}. On the Redis host every call takes effect before it
 * returns; on another replica it is recorded and the host converges within {@code reconcile-every}.
 */
@Component
public class RedisAddonProvider implements AddonProvider {
    public static final String SERVICE = "heroku-redis";

    private final RedisSupervisor supervisor;
    private final RedisInstanceRepository instances;
    private final RedisPorts ports;

    public RedisAddonProvider(RedisSupervisor supervisor, RedisInstanceRepository instances, RedisPorts ports) {
        this.supervisor = supervisor;
        this.instances = instances;
        this.ports = ports;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    @Override
    public String missingConfiguration() {
        return supervisor.config().offered() ? null : "SLIPWAY_ADDONS_REDIS_SERVER_BINARY";
    }

    @Override
    public Provisioned provision(Addon addon, AddonPlan plan) {
        RedisAddonsConfig config = supervisor.config();
        if (!config.offered()) {
            throw new InvalidInput("Heroku Redis is not available on this platform: the operator has not "
                    + "configured redis-server (SLIPWAY_ADDONS_REDIS_SERVER_BINARY).");
        }
        // a retried provision finds the port and password of the first attempt
        RedisInstance found = instances.findById(addon.id()).orElse(null);
        RedisInstance instance = found != null ? found : ports.allocate(addon.id(), config, supervisor.active());
        String existing = addon.config().get("URL");
        String password = existing != null ? RedisUrl.parse(existing).password() : RedisSecrets.newPassword();
        if (supervisor.active()) {
            try {
                supervisor.ensureRunning(addon.id(), instance.port(), password, RedisLimits.of(plan, instance));
            } catch (RuntimeException e) {
                // nothing half-made stays behind: the port is free again and the directory gone
                supervisor.remove(addon.id());
                if (found == null) instances.delete(instance);
                throw new Unavailable("The Redis instance did not start: " + e.getMessage());
            }
        }
        RedisUrl url = new RedisUrl(config.publicHost(), instance.port(), password);
        return new Provisioned(Integer.toString(instance.port()), Map.of("URL", url.toString()));
    }

    @Override
    public Provisioned changePlan(Addon addon, AddonPlan from, AddonPlan to) {
        RedisInstance instance = instances.findById(addon.id())
                .orElseThrow(() -> new NotFound("add-on", addon.name()));
        if (supervisor.active()) supervisor.applyLimits(addon.id(), RedisLimits.of(to, instance));
        return new Provisioned(Integer.toString(instance.port()), addon.config());
    }

    @Override
    public void deprovision(Addon addon) {
        instances.findById(addon.id()).ifPresent(instances::delete);
        if (supervisor.active()) supervisor.remove(addon.id());
    }
}
