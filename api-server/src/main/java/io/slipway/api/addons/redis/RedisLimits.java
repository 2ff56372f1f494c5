package io.slipway.api.addons.redis;

import io.slipway.api.addons.catalogue.AddonPlan;

/**
 * What an instance is held to: the plan's memory, eviction policy and clients, with the policy and idle timeout
 * its users may change ({@code redis:maxmemory}, {@code redis:timeout}).
 */
public record RedisLimits(long maxmemoryMb, String maxmemoryPolicy, int maxClients, int timeoutSeconds) {

    public static RedisLimits of(AddonPlan plan, RedisInstance instance) {
        String policy = instance.maxmemoryPolicy() != null ? instance.maxmemoryPolicy()
                : plan.evictionPolicy() != null ? plan.evictionPolicy() : "noeviction";
        // 0 would be "no limit" for Redis; a plan without a client limit still gets Redis's own default
        int clients = plan.maxConnections() > 0 ? plan.maxConnections() : 10_000;
        return new RedisLimits(plan.memoryMb(), policy, clients, instance.timeoutSeconds());
    }

    /** The {@code CONFIG SET} / redis.conf pairs. */
    String[] settings() {
        return new String[] {
                "maxmemory", maxmemoryMb + "mb",
                "maxmemory-policy", maxmemoryPolicy,
                "maxclients", Integer.toString(maxClients),
                "timeout", Integer.toString(timeoutSeconds)};
    }
}
