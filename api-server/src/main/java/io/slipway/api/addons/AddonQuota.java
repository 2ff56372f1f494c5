package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Add-ons are real databases and Redis instances on the operator's servers, so one account may not hold more than
 * {@code slipway.addons.per-user} of them (counted over the apps it owns, as Heroku bills the owner). The check
 * runs under a per-owner advisory lock in the transaction that records the add-on, so two creates at once cannot
 * both take the last slot; an add-on still provisioning counts.
 */
@Component
public class AddonQuota {
    private final JdbcTemplate jdbc;
    private final int perUser;

    public AddonQuota(JdbcTemplate jdbc, ApiServerConfig config) {
        this.jdbc = jdbc;
        this.perUser = config.addons() == null ? 20 : config.addons().perUser();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void requireSlot(App billing) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 8018))", billing.ownerId().toString());
        Long held = jdbc.queryForObject("SELECT count(*) FROM addons d JOIN apps a ON a.id = d.app_id WHERE a.owner_id = ?",
                Long.class, billing.ownerId());
        if (held != null && held >= perUser) {
            throw new InvalidInput("The account owning " + billing.name() + " already has " + held
                    + " add-ons, the most it may have. Destroy one (heroku addons:destroy), or ask the operator to raise "
                    + "the limit.");
        }
    }
}
