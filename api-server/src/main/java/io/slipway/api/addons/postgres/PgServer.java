package io.slipway.api.addons.postgres;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.ApiServerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.stereotype.Component;

/**
 * Superuser connections to the apps' PostgreSQL server ({@link PostgresAddonsConfig}). Never the platform's own
 * database: add-on roles and databases live on a server of their own, so a tenant's SQL never runs next to the
 * platform's tables.
 */
@Component
public class PgServer {
    private final PostgresAddonsConfig config;

    public PgServer(ApiServerConfig config) {
        this.config = config.addons() == null || config.addons().postgres() == null
                ? new PostgresAddonsConfig("", "", "", "", 5432, "/usr/lib/postgresql/15/bin",
                        java.time.Duration.ofSeconds(60), java.time.Duration.ofMinutes(5))
                : config.addons().postgres();
    }

    public PostgresAddonsConfig config() {
        return config;
    }

    public boolean configured() {
        return config.configured();
    }

    /** Answers a clear error when the operator has configured no server. */
    public void requireConfigured() {
        if (!configured()) {
            throw new InvalidInput("Heroku Postgres is not available on this Slipway platform: the operator "
                    + "has configured no PostgreSQL server for add-ons (SLIPWAY_ADDONS_POSTGRES_ADMIN_URL).");
        }
    }

    /** A superuser connection to the database of the admin URL. */
    public Connection admin() throws SQLException {
        requireConfigured();
        return DriverManager.getConnection(config.adminUrl(), credentials());
    }

    /** A superuser connection to {@code database} on the same server. */
    public Connection admin(String database) throws SQLException {
        requireConfigured();
        return DriverManager.getConnection(withDatabase(config.adminUrl(), database), credentials());
    }

    /** {@code jdbc:postgresql://h:p/db?x=y} with another database; the query string is kept. */
    static String withDatabase(String jdbcUrl, String database) {
        int hostStart = jdbcUrl.indexOf("//");
        int slash = jdbcUrl.indexOf('/', hostStart + 2);
        int query = jdbcUrl.indexOf('?');
        String base = slash < 0 ? (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) : jdbcUrl.substring(0, slash);
        String rest = query < 0 ? "" : jdbcUrl.substring(query);
        return base + "/" + database + rest;
    }

    private Properties credentials() {
        Properties p = new Properties();
        if (!config.adminUser().isBlank()) p.setProperty("user", config.adminUser());
        if (!config.adminPassword().isBlank()) p.setProperty("password", config.adminPassword());
        p.setProperty("connectTimeout", "10");
        p.setProperty("ApplicationName", "slipway-addons");
        return p;
    }
}
