package io.slipway.api.addons.postgres;

import static io.slipway.api.addons.postgres.PgDatabases.exists;
import static io.slipway.api.addons.postgres.PgDatabases.ident;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Refuses an add-on's writes while its database is over its plan's size, as Heroku does over its row and size
 * limits, and gives them back afterwards.
 *
 * <p>Revoking INSERT and UPDATE from the role would not hold: the role owns its tables, and an owner can grant
 * itself any privilege again. So while locked, everything the role owns (its database, schemas, tables, the
 * public schema through {@code pg_database_owner}) belongs to a second role, {@code <name>_locked}, that cannot
 * log in; the add-on's role keeps SELECT everywhere and DELETE/TRUNCATE on plain tables (so it can get back under
 * the limit), and cannot grant itself more because it owns nothing. What would still run with the owner's rights
 * is closed too: SECURITY DEFINER functions (also trigger functions) are given back to the add-on's role, so they
 * run without write rights, and creating large objects (which needs no privilege) is revoked in that database.
 * Unlocking hands everything back ({@code REASSIGN OWNED}).
 */
@Component
public class PgWriteLock {
    /** PUBLIC may run these by default (lo_import is superuser-only already and stays so). */
    private static final String[] LARGE_OBJECT_CREATORS = {"lo_creat(integer)", "lo_create(oid)",
            "lo_from_bytea(oid, bytea)"};
    private final PgServer server;

    public PgWriteLock(PgServer server) {
        this.server = server;
    }

    public void lock(String name) throws SQLException {
        String locked = PgNames.lockRole(name);
        try (Connection c = server.admin(); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", locked)) {
                s.execute("CREATE ROLE " + ident(locked) + " NOLOGIN");
            }
        }
        try (Connection db = server.admin(name); Statement s = db.createStatement()) {
            db.setAutoCommit(false);
            s.execute("SET LOCAL lock_timeout = '10s'"); // a tenant's long transaction delays us to the next pass
            s.execute("REASSIGN OWNED BY " + ident(name) + " TO " + ident(locked));
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + ident(name) + " TO " + ident(name));
            for (String schema : PgDatabases.userSchemas(db)) {
                s.execute("GRANT USAGE ON SCHEMA " + ident(schema) + " TO " + ident(name));
                s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + ident(schema) + " TO " + ident(name));
                s.execute("GRANT SELECT, USAGE ON ALL SEQUENCES IN SCHEMA " + ident(schema) + " TO " + ident(name));
            }
            // DELETE and TRUNCATE on plain tables only: on a view they could fire a rule running as its owner
            for (String table : list(s, "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' "
                    + "AND n.nspname <> 'information_schema'")) {
                s.execute("GRANT DELETE, TRUNCATE ON " + table + " TO " + ident(name));
            }
            for (String function : list(s, "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n "
                    + "ON n.oid = p.pronamespace WHERE p.prosecdef AND n.nspname NOT LIKE 'pg\\_%' "
                    + "AND n.nspname <> 'information_schema'")) {
                s.execute("ALTER ROUTINE " + function + " OWNER TO " + ident(name));
            }
            for (String f : LARGE_OBJECT_CREATORS) s.execute("REVOKE EXECUTE ON FUNCTION " + f + " FROM PUBLIC");
            db.commit();
        }
    }

    public void unlock(String name) throws SQLException {
        String locked = PgNames.lockRole(name);
        try (Connection c = server.admin()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", locked)) return;
        }
        try (Connection db = server.admin(name); Statement s = db.createStatement()) {
            db.setAutoCommit(false);
            s.execute("SET LOCAL lock_timeout = '10s'");
            s.execute("REASSIGN OWNED BY " + ident(locked) + " TO " + ident(name));
            s.execute("DROP OWNED BY " + ident(locked)); // owns nothing now: this only clears its grants
            for (String f : LARGE_OBJECT_CREATORS) s.execute("GRANT EXECUTE ON FUNCTION " + f + " TO PUBLIC");
            db.commit();
        }
        try (Connection c = server.admin(); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS " + ident(locked));
        }
    }

    private static List<String> list(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
