package io.slipway.api.addons.redis;

import io.slipway.api.errors.NotFound;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAccess;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Component;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * A heroku-redis add-on the caller can see ({@link AddonAccess}), with its instance's state. The version is asked
 * of the instance itself with the tenant's own credentials, so any replica can answer, not only the Redis host.
 */
@Component
public class FindRedisDatabase {
    private final AddonAccess access;
    private final AddonCatalogue catalogue;
    private final RedisInstanceRepository instances;

    public FindRedisDatabase(AddonAccess access, AddonCatalogue catalogue, RedisInstanceRepository instances) {
        this.access = access;
        this.catalogue = catalogue;
        this.instances = instances;
    }

    public RedisDatabase visible(Caller caller, String identity) {
        return describe(access.visible(caller, identity), identity);
    }

    /** For changes: only users of the billing app. */
    public RedisDatabase billedTo(Caller caller, String identity) {
        return describe(access.billedTo(caller, identity), identity);
    }

    private RedisDatabase describe(Addon addon, String identity) {
        String urlValue = addon.config().get("URL");
        // another service's add-on, or one still being provisioned, is not a Redis database here
        if (!RedisAddonProvider.SERVICE.equals(addon.service()) || urlValue == null) {
            throw new NotFound("add-on", identity);
        }
        RedisInstance instance = instances.findById(addon.id()).orElseThrow(() -> new NotFound("add-on", identity));
        AddonPlan plan = catalogue.plan(addon.plan())
                .orElseThrow(() -> new NotFound("add-on", identity));
        RedisUrl url = RedisUrl.parse(urlValue);
        return new RedisDatabase(addon, plan, instance, url, version(url));
    }

    private static String version(RedisUrl url) {
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().password(url.password())
                .connectionTimeoutMillis(2_000).socketTimeoutMillis(2_000).build();
        try (Jedis jedis = new Jedis(new HostAndPort(url.host(), url.port()), config)) {
            for (String line : jedis.info("server").split("\r?\n")) {
                if (line.startsWith("redis_version:")) return line.substring("redis_version:".length()).trim();
            }
            return "unknown";
        } catch (RuntimeException unreachable) {
            return null;
        }
    }
}
