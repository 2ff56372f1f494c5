package io.slipway.api.addons.redis;

import java.util.function.Function;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/** A short connection to one instance as {@code slipway-admin} (the password lives only in the supervisor). */
final class RedisAdmin {
    private RedisAdmin() {}

    static <T> T call(String host, int port, String adminPassword, Function<Jedis, T> work) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .user(RedisConf.ADMIN_USER).password(adminPassword)
                .connectionTimeoutMillis(2_000).socketTimeoutMillis(10_000)
                .clientName("slipway-admin").build();
        try (Jedis jedis = new Jedis(new HostAndPort(host, port), config)) {
            return work.apply(jedis);
        }
    }

    static void apply(String host, int port, String adminPassword, RedisLimits limits) {
        call(host, port, adminPassword, j -> j.configSet(limits.settings()));
    }
}
