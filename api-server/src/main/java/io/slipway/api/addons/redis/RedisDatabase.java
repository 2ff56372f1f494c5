package io.slipway.api.addons.redis;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.catalogue.AddonPlan;

/**
 * What the data API tells about one heroku-redis add-on.
 *
 * @param version the instance's {@code redis_version}, or null when it does not answer
 */
public record RedisDatabase(Addon addon, AddonPlan plan, RedisInstance instance, RedisUrl url, String version) {
    public boolean available() {
        return version != null;
    }

    public RedisLimits limits() {
        return RedisLimits.of(plan, instance);
    }
}
