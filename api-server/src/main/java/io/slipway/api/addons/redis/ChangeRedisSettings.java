package io.slipway.api.addons.redis;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Component;

/**
 * {@code redis:maxmemory --policy} and {@code redis:timeout --seconds}: recorded in the database (any replica),
 * applied live on the Redis host (at once when that is this replica, else at its next reconcile).
 */
@Component
public class ChangeRedisSettings {
    /** Heroku's own ceiling for the idle timeout. */
    static final int MAX_TIMEOUT_SECONDS = 31_536_000;

    private final FindRedisDatabase find;
    private final RedisInstanceRepository instances;
    private final RedisSupervisor supervisor;

    public ChangeRedisSettings(FindRedisDatabase find, RedisInstanceRepository instances, RedisSupervisor supervisor) {
        this.find = find;
        this.instances = instances;
        this.supervisor = supervisor;
    }

    /** Either may be null (unchanged). */
    public RedisDatabase change(Caller caller, String identity, String maxmemoryPolicy, Integer timeoutSeconds) {
        RedisDatabase db = find.billedTo(caller, identity);
        if (maxmemoryPolicy != null && !RedisPolicies.DESCRIPTIONS.containsKey(maxmemoryPolicy)) {
            throw new InvalidInput("Unknown maxmemory policy '" + maxmemoryPolicy + "'. Use one of: "
                    + String.join(", ", RedisPolicies.DESCRIPTIONS.keySet()) + ".");
        }
        if (timeoutSeconds != null && (timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
            throw new InvalidInput("Timeout must be between 0 and " + MAX_TIMEOUT_SECONDS + " seconds.");
        }
        RedisInstance instance = db.instance();
        if (maxmemoryPolicy != null) instance.maxmemoryPolicy(maxmemoryPolicy);
        if (timeoutSeconds != null) instance.timeoutSeconds(timeoutSeconds);
        instance = instances.saveAndFlush(instance);
        RedisLimits limits = RedisLimits.of(db.plan(), instance);
        if (supervisor.active()) supervisor.applyLimits(db.addon().id(), limits);
        return new RedisDatabase(db.addon(), db.plan(), instance, db.url(), db.version());
    }
}
