package io.slipway.api.addons.catalogue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One plan of an add-on service, named as Heroku names it ({@code heroku-postgresql:essential-0}), with the
 * limits its provider enforces. Ids are derived from the name so they stay the same across restarts and replicas.
 *
 * @param name           {@code service:plan}
 * @param humanName      what the CLI shows ({@code Essential 0})
 * @param defaultPlan    the plan {@code addons:create SERVICE} without a plan gets
 * @param priceCents     per month; a self-hosted platform bills nothing by default
 * @param maxConnections connections the resource accepts at once (PostgreSQL role limit, Redis maxclients)
 * @param storageMb      PostgreSQL: database size past which writes are refused; 0 for none
 * @param memoryMb       Redis: maxmemory; 0 for none
 * @param evictionPolicy Redis: maxmemory-policy ({@code noeviction} as on Heroku); null for PostgreSQL
 */
public record AddonPlan(String name, String humanName, boolean defaultPlan, int priceCents, int maxConnections,
                        long storageMb, long memoryMb, String evictionPolicy) {

    public UUID id() {
        return UUID.nameUUIDFromBytes(("addon-plan:" + name).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code heroku-postgresql} of {@code heroku-postgresql:essential-0}. */
    public String service() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /** {@code essential-0} of {@code heroku-postgresql:essential-0}. */
    public String shortName() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }
}
