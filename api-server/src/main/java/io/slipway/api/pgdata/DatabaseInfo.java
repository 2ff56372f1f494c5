package io.slipway.api.pgdata;

import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.postgres.PgDatabases;
import io.slipway.api.addons.postgres.PgNames;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/** What {@code heroku pg:info} shows of one database: plan, live size and connections against its limits. */
@Component
public class DatabaseInfo {
    private final PgDatabases databases;
    private final AddonCatalogue catalogue;

    public DatabaseInfo(PgDatabases databases, AddonCatalogue catalogue) {
        this.databases = databases;
        this.catalogue = catalogue;
    }

    /** One row of the CLI's table: a name and its values. */
    public record Row(String name, List<String> values) {}

    public record Info(Addon addon, AddonPlan plan, long bytes, int connections, String version, boolean writesRefused,
                       List<Row> rows) {}

    public Info of(Addon addon) {
        String name = PgNames.of(addon);
        AddonPlan plan = catalogue.plan(addon.plan()).orElse(null);
        long bytes;
        int connections;
        String version;
        boolean locked;
        try {
            bytes = databases.size(name);
            connections = databases.connections(name);
            version = databases.serverVersion();
            locked = databases.writesLocked(name);
        } catch (SQLException e) {
            throw new Unavailable("The add-on database server did not answer; try again shortly.");
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("Plan", List.of(plan == null ? addon.plan() : plan.humanName())));
        rows.add(new Row("Status", List.of(locked ? "Available (writes refused: over the size limit)" : "Available")));
        int max = plan == null ? 0 : plan.maxConnections();
        rows.add(new Row("Connections", List.of(connections + "/" + (max > 0 ? max : "unlimited"))));
        rows.add(new Row("PG Version", List.of(version)));
        rows.add(new Row("Created", List.of(addon.createdAt().toString())));
        long limitMb = plan == null ? 0 : plan.storageMb();
        rows.add(new Row("Data Size", List.of(mb(bytes) + (limitMb > 0
                ? " / " + limitMb + " MB (" + String.format(java.util.Locale.ROOT, "%.2f", 100.0 * bytes / (limitMb * 1024 * 1024)) + "%)"
                : ""))));
        rows.add(new Row("Fork/Follow", List.of("Unsupported")));
        rows.add(new Row("Rollback", List.of("Unsupported")));
        rows.add(new Row("Continuous Protection", List.of("Off")));
        return new Info(addon, plan, bytes, connections, version, locked, rows);
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
