package io.slipway.api.addons.postgres;

import java.time.Duration;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.addons.postgres.*}: the PostgreSQL server (apart from the platform's own) each heroku-postgresql
 * add-on gets a database and role on.
 *
 * @param adminUrl          JDBC URL of a superuser connection ({@code SLIPWAY_ADDONS_POSTGRES_ADMIN_URL}), any
 *                          database of that server; empty: heroku-postgresql is not offered
 * @param adminUser         its user
 * @param adminPassword     its password
 * @param publicHost        the host apps and users reach the server at (goes into DATABASE_URL)
 * @param publicPort        the port they reach it at
 * @param binDir            where {@code pg_dump} and {@code pg_restore} are (backups), of the server's major
 *                          version or newer
 * @param sizeCheckInterval how often databases are measured against their plan's {@code storage_mb}
 * @param scheduleCheckInterval how often due daily backups are looked for
 */
public record PostgresAddonsConfig(@DefaultValue("") String adminUrl,
                                   @DefaultValue("") String adminUser,
                                   @DefaultValue("") String adminPassword,
                                   @DefaultValue("") String publicHost,
                                   @DefaultValue("5432") int publicPort,
                                   @DefaultValue("/usr/lib/postgresql/15/bin") String binDir,
                                   @DefaultValue("60s") Duration sizeCheckInterval,
                                   @DefaultValue("5m") Duration scheduleCheckInterval) {

    public boolean configured() {
        return adminUrl != null && !adminUrl.isBlank();
    }
}
