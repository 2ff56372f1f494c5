package io.slipway.api.addons.catalogue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * An add-on service the platform offers ({@code heroku-postgresql}, {@code heroku-redis}).
 *
 * @param name             what users type in {@code addons:create}
 * @param humanName        {@code Heroku Postgres}
 * @param attachmentName   the default attachment name: {@code DATABASE} gives {@code DATABASE_URL}
 * @param configVarPrefix  the prefix of an add-on's own name, e.g. {@code postgresql} → {@code postgresql-curly-12345}
 * @param plans            in order, cheapest first
 */
public record AddonService(String name, String humanName, String attachmentName, String configVarPrefix,
                           List<AddonPlan> plans) {

    public UUID id() {
        return UUID.nameUUIDFromBytes(("addon-service:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public AddonPlan defaultPlan() {
        return plans.stream().filter(AddonPlan::defaultPlan).findFirst().orElse(plans.get(0));
    }
}
