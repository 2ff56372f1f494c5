package io.slipway.api.addons.postgres;

import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.provider.AddonProvider;
import io.slipway.api.addons.provider.Provisioned;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * heroku-postgresql: each add-on is one database and one role of the same name, with a random password, on the
 * apps' PostgreSQL server. The role logs in, owns its database, holds no other power and cannot connect anywhere
 * else; its plan sets its connection limit, and {@link PgSizeLimits} enforces the plan's size.
 */
@Component
public class PostgresAddonProvider implements AddonProvider {
    public static final String SERVICE = "heroku-postgresql";
    private static final Logger log = LoggerFactory.getLogger(PostgresAddonProvider.class);
    private final PgServer server;
    private final PgDatabases databases;

    public PostgresAddonProvider(PgServer server, PgDatabases databases) {
        this.server = server;
        this.databases = databases;
    }

    @Override
    public String service() {
        return SERVICE;
    }

    /**
     * A retry (after a crash, or of a half-made add-on) finds the role and database by their name and gives the
     * role a new password, so the config returned is always the one that works.
     */
    @Override
    public String missingConfiguration() {
        return server.configured() ? null : "SLIPWAY_ADDONS_POSTGRES_ADMIN_URL";
    }

    @Override
    public Provisioned provision(Addon addon, AddonPlan plan) {
        server.requireConfigured();
        String name = PgNames.of(addon);
        String password = PgNames.newPassword();
        try {
            databases.ensureRole(name, password, plan.maxConnections());
            databases.ensureDatabase(name);
        } catch (SQLException e) {
            throw failed("create", addon, e);
        }
        return new Provisioned(name, Map.of("URL", url(name, password)));
    }

    /** Only the limits change; the credentials stay, so the config is left as it is. */
    @Override
    public Provisioned changePlan(Addon addon, AddonPlan from, AddonPlan to) {
        server.requireConfigured();
        try {
            databases.setConnectionLimit(PgNames.of(addon), to.maxConnections());
        } catch (SQLException e) {
            throw failed("change the plan of", addon, e);
        }
        return null;
    }

    @Override
    public void deprovision(Addon addon) {
        server.requireConfigured();
        try {
            databases.drop(PgNames.of(addon));
        } catch (SQLException e) {
            throw failed("remove", addon, e);
        }
    }

    /** {@code postgres://name:password@publicHost:publicPort/name}: what DATABASE_URL holds. */
    String url(String name, String password) {
        PostgresAddonsConfig c = server.config();
        String host = c.publicHost().isBlank() ? "127.0.0.1" : c.publicHost();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]"; // IPv6 literal
        return "postgres://" + name + ":" + password + "@" + host + ":" + c.publicPort() + "/" + name;
    }

    private static RuntimeException failed(String what, Addon addon, SQLException e) {
        // the server's message may name roles, never passwords (they travel only as literals of our statements)
        log.warn("could not {} the database of add-on {}: {}", what, addon.name(), e.getMessage());
        return new Unavailable("Could not " + what + " the database of " + addon.name()
                + " on the add-on server; try again shortly.");
    }
}
