package io.slipway.api.addons.redis;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.addons.redis.*}: how heroku-redis instances are run.
 *
 * @param serverBinary path of {@code redis-server} ({@code SLIPWAY_ADDONS_REDIS_SERVER_BINARY}); empty: not offered
 * @param dataDir      where instances keep their data
 * @param publicHost   the host apps and users reach instances at (goes into REDIS_URL)
 * @param firstPort    first port of the range instances listen on
 * @param lastPort     last port of that range
 */
public record RedisAddonsConfig(@DefaultValue("") String serverBinary,
                                @DefaultValue("") String dataDir,
                                @DefaultValue("") String publicHost,
                                @DefaultValue("6400") int firstPort,
                                @DefaultValue("6999") int lastPort) {}
