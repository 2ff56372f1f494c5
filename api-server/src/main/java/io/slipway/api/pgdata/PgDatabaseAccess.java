package io.slipway.api.pgdata;

import io.slipway.api.errors.NotFound;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAccess;
import io.slipway.api.addons.postgres.PostgresAddonProvider;
import io.slipway.api.identity.Caller;
import org.springframework.stereotype.Component;

/**
 * The data API's gate: a heroku-postgresql add-on the caller can see ({@link AddonAccess}: its billing app or an
 * app it is attached to), by id or name. Anything else, another service's add-on included, answers
 * {@code not_found} exactly like a missing one; one still provisioning answers 404 too, which the CLI reads as
 * "not yet provisioned".
 */
@Component
public class PgDatabaseAccess {
    private final AddonAccess addons;

    public PgDatabaseAccess(AddonAccess addons) {
        this.addons = addons;
    }

    public Addon database(Caller caller, String identity) {
        Addon addon = addons.visible(caller, identity);
        if (!PostgresAddonProvider.SERVICE.equals(addon.service()) || !Addon.PROVISIONED.equals(addon.state())) {
            throw new NotFound("database", identity);
        }
        return addon;
    }
}
