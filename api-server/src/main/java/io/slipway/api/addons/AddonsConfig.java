package io.slipway.api.addons;

import io.slipway.api.addons.postgres.PostgresAddonsConfig;
import io.slipway.api.addons.redis.RedisAddonsConfig;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.addons.*} (part of {@link io.slipway.api.ApiServerConfig}): where add-on resources live.
 * A service whose server is not configured is listed but refuses {@code addons:create} with a clear error.
 *
 * @param plansFile a JSON file of plans replacing the built-in ones of the services it names
 *                  ({@code SLIPWAY_ADDONS_PLANS_FILE}; see docs/addons.md); empty for the built-in plans
 * @param postgres  the PostgreSQL server heroku-postgresql databases are created on
 * @param redis     how heroku-redis instances are run
 * @param perUser   add-ons billed to the apps of one account at most ({@code SLIPWAY_ADDONS_PER_USER}): each is a
 *                  real database or Redis on the operator's servers
 */
public record AddonsConfig(@DefaultValue("") String plansFile,
                           @DefaultValue PostgresAddonsConfig postgres,
                           @DefaultValue RedisAddonsConfig redis,
                           @DefaultValue("20") int perUser) {}
