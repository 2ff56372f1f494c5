package io.slipway.api.addons.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAttachmentRepository;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.logs.LogLines;
import io.slipway.api.support.PgAddonsApiTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** heroku-postgresql against a real PostgreSQL 15: what an add-on's credentials can and cannot do. */
class PostgresAddonProviderTest extends PgAddonsApiTest {
    @Autowired PostgresAddonProvider provider;
    @Autowired AddonRepository addonRepository;
    @Autowired AddonAttachmentRepository attachmentRepository;
    @Autowired AddonCatalogue catalogue;
    @Autowired AppRepository apps;
    @Autowired PgDatabases databases;
    @Autowired PgSizeLimits sizeLimits;
    @Autowired LogLines logLines;
    PgTestAddons testAddons;

    @BeforeEach
    void setUp() {
        testAddons = new PgTestAddons(provider, addonRepository, attachmentRepository, catalogue);
    }

    private UUID newApp(User owner) {
        String name = uniqueAppName("pg");
        call("POST", "/apps").as(owner).json("{\"name\":\"" + name + "\"}").send().expect(201);
        return apps.findByName(name).orElseThrow().id();
    }

    @Test
    void provisionGivesAWorkingUrlOfItsOwnDatabase() throws Exception {
        Addon addon = testAddons.create(newApp(newUser()), DEFAULT_PLAN);
        String url = addon.config().get("URL");
        assertThat(url).startsWith("postgres://addon_").contains("@127.0.0.1:");
        try (Connection c = PgTestAddons.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text)");
            s.execute("INSERT INTO notes (body) VALUES ('hello')");
            try (ResultSet rs = s.executeQuery("SELECT body FROM notes")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hello");
            }
        }
    }

    @Test
    void provisionRetriedAfterACrashFindsWhatTheFirstAttemptMadeAndKeepsTheData() throws Exception {
        Addon addon = testAddons.create(newApp(newUser()), DEFAULT_PLAN);
        try (Connection c = PgTestAddons.connect(addon.config().get("URL")); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (x int)");
        }
        var again = provider.provision(addon, catalogue.plan(DEFAULT_PLAN).orElseThrow());
        assertThat(again.providerId()).isEqualTo(addon.providerId());
        try (Connection c = PgTestAddons.connect(again.config().get("URL")); Statement s = c.createStatement()) {
            s.executeQuery("SELECT count(*) FROM kept").close();
        }
        // the first password no longer works: only the config the platform stored last is valid
        assertThatThrownBy(() -> PgTestAddons.connect(addon.config().get("URL")).close()).isInstanceOf(SQLException.class);
    }

    /** The attack: a tenant with its own DATABASE_URL tries another app's database and the server's own ones. */
    @Test
    void oneAddonsCredentialsAreRefusedOnAnotherAddonsDatabase() throws Exception {
        Addon victim = testAddons.create(newApp(newUser()), DEFAULT_PLAN);
        Addon attacker = testAddons.create(newApp(newUser()), DEFAULT_PLAN);
        String victimDb = victim.providerId();
        assertThatThrownBy(() -> PgTestAddons.connect(attacker.config().get("URL"), victimDb).close())
                .isInstanceOf(SQLException.class);
        for (String db : new String[] {"postgres", "template1"}) {
            assertThatThrownBy(() -> PgTestAddons.connect(attacker.config().get("URL"), db).close())
                    .isInstanceOf(SQLException.class);
        }
        // and inside its own database it holds no power over anything else
        try (Connection c = PgTestAddons.connect(attacker.config().get("URL")); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
                     + "FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            for (int i = 1; i <= 5; i++) assertThat(rs.getBoolean(i)).isFalse();
        }
    }

    @Test
    void planSetsTheConnectionLimitAndChangePlanChangesIt() throws Exception {
        Addon addon = testAddons.create(newApp(newUser()), TINY_PLAN);
        try (Connection c = databases_admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + addon.providerId() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(5);
        }
        provider.changePlan(addon, catalogue.plan(TINY_PLAN).orElseThrow(), catalogue.plan(DEFAULT_PLAN).orElseThrow());
        try (Connection c = databases_admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolconnlimit FROM pg_roles WHERE rolname = '" + addon.providerId() + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(20);
        }
    }

    @Test
    void deprovisionDropsTheDatabaseAndTheRoleAndEndsOpenSessions() throws Exception {
        Addon addon = testAddons.create(newApp(newUser()), DEFAULT_PLAN);
        String url = addon.config().get("URL");
        Connection open = PgTestAddons.connect(url);
        provider.deprovision(addon);
        assertThat(databases.size(addon.providerId())).isEqualTo(-1);
        try (Connection c = databases_admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname LIKE '" + addon.providerId() + "%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThatThrownBy(() -> PgTestAddons.connect(url).close()).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> open.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
        open.close();
        provider.deprovision(addon); // a retry finds nothing left and succeeds
    }

    /**
     * The size limit holds against the tenant: over it, INSERT and CREATE are refused, and so are its ways around
     * a plain REVOKE (granting itself the privilege back as owner; a SECURITY DEFINER function made beforehand).
     * Under it again, writes work.
     */
    @Test
    void overThePlansSizeWritesAreRefusedEvenAfterRegrantingAndComeBackUnderIt() throws Exception {
        UUID app = newApp(newUser());
        Addon addon = testAddons.create(app, TINY_PLAN);
        String url = addon.config().get("URL");
        try (Connection c = PgTestAddons.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE filler (body text)");
            s.execute("CREATE FUNCTION sneak() RETURNS void LANGUAGE sql SECURITY DEFINER "
                    + "AS 'INSERT INTO filler VALUES (''sneaked'')'");
            s.execute("INSERT INTO filler SELECT md5(i::text) || md5((i + 1)::text) FROM generate_series(1, 150000) i");
        }
        assertThat(databases.size(addon.providerId())).isGreaterThan(TINY_MB * 1024L * 1024);

        assertThat(sizeLimits.checkAll()).isTrue();

        try (Connection c = PgTestAddons.connect(url); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("INSERT INTO filler VALUES ('more')")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("UPDATE filler SET body = 'x'")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("CREATE TABLE more (x int)")).isInstanceOf(SQLException.class);
            // a non-owner's GRANT only warns "no privileges were granted"; what counts is the INSERT after it
            try {
                s.execute("GRANT INSERT ON filler TO current_user");
            } catch (SQLException refused) {
                // also fine
            }
            assertThatThrownBy(() -> s.execute("INSERT INTO filler VALUES ('after grant')")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("SELECT sneak()")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("SELECT lo_from_bytea(0, 'x')")).isInstanceOf(SQLException.class);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM filler")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(150000); // reads still work
            }
            s.execute("TRUNCATE filler"); // the way back under the limit
        }
        assertThat(logLines.after(app, io.slipway.api.logs.LogFilter.ALL, 0, 100).stream().map(l -> l.dyno() + ": " + l.message()))
                .anyMatch(l -> l.startsWith("heroku-postgres: Database " + addon.name() + " is over its plan's size limit"));

        assertThat(sizeLimits.checkAll()).isTrue();

        try (Connection c = PgTestAddons.connect(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO filler VALUES ('back')");
            s.execute("CREATE TABLE more (x int)");
            s.execute("SELECT sneak()");
        }
        assertThat(databases.writesLocked(addon.providerId())).isFalse();
    }

    private static Connection databases_admin() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", io.slipway.api.support.AppsTestPostgres.PASSWORD);
        return java.sql.DriverManager.getConnection(io.slipway.api.support.AppsTestPostgres.adminUrl(), p);
    }
}
