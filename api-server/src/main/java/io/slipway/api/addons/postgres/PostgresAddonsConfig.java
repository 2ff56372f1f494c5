package io.slipway.api.addons.postgres;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code slipway.addons.postgres.*}: the PostgreSQL server (apart from the platform's own) each heroku-postgresql
 * add-on gets a database and role on.
 *
 * @param adminUrl      JDBC URL of a superuser connection ({@code SLIPWAY_ADDONS_POSTGRES_ADMIN_URL}); empty: not offered
 * @param adminUser     its user
 * @param adminPassword its password
 * @param publicHost    the host apps and users reach the server at (goes into DATABASE_URL)
 * @param publicPort    the port they reach it at
 */
public record PostgresAddonsConfig(@DefaultValue("") String adminUrl,
                                   @DefaultValue("") String adminUser,
                                   @DefaultValue("") String adminPassword,
                                   @DefaultValue("") String publicHost,
                                   @DefaultValue("5432") int publicPort) {}
