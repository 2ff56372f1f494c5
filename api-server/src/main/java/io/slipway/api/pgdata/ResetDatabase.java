package io.slipway.api.pgdata;

import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.postgres.PgDatabases;
import io.slipway.api.addons.postgres.PgNames;
import io.slipway.api.identity.Caller;
import java.sql.SQLException;
import org.springframework.stereotype.Component;

/**
 * {@code heroku pg:reset} (an empty database again, the same credentials) and {@code pg:killall} (every session
 * ended). Anyone who can see the database may do both, as on Heroku; the CLI asks them to confirm the reset.
 */
@Component
public class ResetDatabase {
    private final PgDatabaseAccess access;
    private final PgDatabases databases;

    public ResetDatabase(PgDatabaseAccess access, PgDatabases databases) {
        this.access = access;
        this.databases = databases;
    }

    public Addon reset(Caller caller, String database) {
        Addon addon = access.database(caller, database);
        try {
            databases.reset(PgNames.of(addon));
        } catch (SQLException e) {
            throw new Unavailable("Could not reset " + addon.name() + "; try again shortly.");
        }
        return addon;
    }

    public int killAll(Caller caller, String database) {
        Addon addon = access.database(caller, database);
        try {
            return databases.terminateSessions(PgNames.of(addon));
        } catch (SQLException e) {
            throw new Unavailable("Could not end the sessions of " + addon.name() + "; try again shortly.");
        }
    }
}
