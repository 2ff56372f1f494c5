package io.slipway.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the heroku-postgresql tests: {@link StorageApiTest} (backups go to the object store) plus the apps'
 * PostgreSQL ({@link AppsTestPostgres}) as {@code slipway.addons.postgres.*}, and a plans file with a tiny plan
 * ({@value #TINY_PLAN}, {@value #TINY_MB} MB) so the size limit can be crossed in a test. One more Spring
 * context: keep every add-on database test on this class.
 */
public abstract class PgAddonsApiTest extends StorageApiTest {
    public static final String TINY_PLAN = "heroku-postgresql:tiny";
    public static final int TINY_MB = 12;
    public static final String DEFAULT_PLAN = "heroku-postgresql:essential-0";

    @DynamicPropertySource
    static void appsPostgres(DynamicPropertyRegistry registry) {
        registry.add("slipway.addons.postgres.admin-url", AppsTestPostgres::adminUrl);
        registry.add("slipway.addons.postgres.admin-user", () -> "postgres");
        registry.add("slipway.addons.postgres.admin-password", () -> AppsTestPostgres.PASSWORD);
        registry.add("slipway.addons.postgres.public-host", () -> "127.0.0.1");
        registry.add("slipway.addons.postgres.public-port", AppsTestPostgres::port);
        registry.add("slipway.addons.postgres.bin-dir", AppsTestPostgres.BIN::toString);
        // the tests run the size check themselves
        registry.add("slipway.addons.postgres.size-check-interval", () -> "1h");
        registry.add("slipway.addons.plans-file", PgAddonsApiTest::plansFile);
    }

    private static String plansFile() {
        try {
            Path f = Files.createTempFile("slipway-plans-", ".json");
            f.toFile().deleteOnExit();
            Files.writeString(f, """
                    {"heroku-postgresql": [
                      {"name": "%s", "human_name": "Essential 0", "default": true, "max_connections": 20, "storage_mb": 1024},
                      {"name": "%s", "human_name": "Tiny", "max_connections": 5, "storage_mb": %d}]}
                    """.formatted(DEFAULT_PLAN, TINY_PLAN, TINY_MB));
            return f.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
