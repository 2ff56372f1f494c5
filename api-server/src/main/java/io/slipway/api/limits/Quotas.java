package io.slipway.api.limits;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.LimitReached;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The operator's per-user quotas, charged to the account that owns the app (as Heroku bills the owner). Held
 * things that the user must give up first (apps, formation dynos) answer 422 {@code invalid_params}; things that
 * end on their own (running builds, one-off dynos) answer 429 {@code rate_limit}. Each check runs in the caller's
 * transaction under a per-owner advisory lock, so two requests at once cannot both take the last slot.
 */
@Service
public class Quotas {
    private final JdbcTemplate jdbc;
    private final ApiServerConfig.Limits limits;

    public Quotas(JdbcTemplate jdbc, ApiServerConfig config) {
        this.jdbc = jdbc;
        this.limits = config.limits();
    }

    /** Before {@code ownerId} creates an app. */
    public void requireAppSlot(UUID ownerId) {
        lock(ownerId);
        long owned = count("SELECT count(*) FROM apps WHERE owner_id = ?", ownerId);
        if (owned >= limits.appsPerUser()) {
            throw new InvalidInput("You've reached the limit of " + limits.appsPerUser() + " apps for your "
                    + "account. Delete an app you no longer need (heroku apps:destroy), or ask the operator to raise it.");
        }
    }

    /** Formation dynos over every app of {@code app}'s owner, as the database holds them now. */
    public long formationDynos(App app) {
        lock(app.ownerId());
        return count("SELECT coalesce(sum(f.quantity), 0) FROM formations f JOIN apps a ON a.id = f.app_id"
                + " WHERE a.owner_id = ?", app.ownerId());
    }

    /**
     * After a scale was written (flushed) in this transaction: refuses it when it grew the owner's dynos past
     * the quota. A scale down is always allowed, even above a quota the operator lowered.
     */
    public void requireDynos(App app, long before) {
        long after = formationDynos(app);
        if (after > limits.dynosPerUser() && after > before) {
            throw new InvalidInput("Cannot scale to " + after + " dynos: the limit is " + limits.dynosPerUser()
                    + " dynos across all apps of the owner's account. Scale something down first.");
        }
    }

    /** Before a build of {@code app} is queued. */
    public void requireBuildSlot(App app) {
        lock(app.ownerId());
        long running = count("SELECT count(*) FROM builds b JOIN apps a ON a.id = b.app_id"
                + " WHERE a.owner_id = ? AND b.status = 'pending'", app.ownerId());
        if (running >= limits.buildsPerUser()) {
            throw new LimitReached("Your account already has " + running + " builds waiting or running, the most "
                    + "it may have at once. Try again when one has finished.");
        }
    }

    /** Before a one-off dyno of {@code app} is started. */
    public void requireOneOffSlot(App app) {
        lock(app.ownerId());
        long running = count("SELECT count(*) FROM dynos d JOIN apps a ON a.id = d.app_id"
                + " WHERE a.owner_id = ? AND d.one_off", app.ownerId());
        if (running >= limits.oneOffDynosPerUser()) {
            throw new LimitReached("Cannot run more than " + limits.oneOffDynosPerUser() + " one-off dynos at once "
                    + "on this account. Stop one (heroku ps:stop run.N) or wait for one to finish.");
        }
    }

    private void lock(UUID ownerId) {
        jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtextextended(?, 8017))", ownerId.toString());
    }

    private long count(String sql, UUID ownerId) {
        Long n = jdbc.queryForObject(sql, Long.class, ownerId);
        return n == null ? 0 : n;
    }
}
