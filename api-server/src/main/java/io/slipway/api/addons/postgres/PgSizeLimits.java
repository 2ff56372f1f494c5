package io.slipway.api.addons.postgres;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.logs.IngestLogs;
import io.slipway.api.logs.LogLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Enforces each heroku-postgresql plan's {@code storage_mb}: every {@code size-check-interval} a database over
 * its plan's size has its writes refused ({@link PgWriteLock}) and its billing app's log says so
 * ({@code app[heroku-postgres]}); once it is under again (rows deleted, tables truncated, a bigger plan) writes
 * come back. One replica checks at a time: the pass runs only while it holds an advisory lock of the platform's
 * database, which the others then skip; the state lives on the apps' server, so any replica may do the next one.
 */
@Component
public class PgSizeLimits {
    /** "pgsize" in ASCII. */
    static final long LOCK_KEY = 0x7067_7369_7a65L;
    public static final String LOG_DYNO = "heroku-postgres";
    private static final Logger log = LoggerFactory.getLogger(PgSizeLimits.class);
    private final PgServer server;
    private final PgDatabases databases;
    private final PgWriteLock writeLock;
    private final AddonRepository addons;
    private final AddonCatalogue catalogue;
    private final IngestLogs logs;
    private final DataSource platform;

    public PgSizeLimits(PgServer server, PgDatabases databases, PgWriteLock writeLock, AddonRepository addons,
                        AddonCatalogue catalogue, IngestLogs logs, DataSource platform) {
        this.server = server;
        this.databases = databases;
        this.writeLock = writeLock;
        this.addons = addons;
        this.catalogue = catalogue;
        this.logs = logs;
        this.platform = platform;
    }

    @Scheduled(fixedDelayString = "${slipway.addons.postgres.size-check-interval:60s}", initialDelayString = "10s")
    public void scheduled() {
        if (!server.configured()) return;
        try {
            checkAll();
        } catch (RuntimeException | SQLException e) {
            log.warn("add-on database size check failed: {}", e.toString());
        }
    }

    /** One pass over every provisioned database; false when another replica is doing it now. */
    public boolean checkAll() throws SQLException {
        try (Connection c = platform.getConnection()) {
            if (!advisory(c, "SELECT pg_try_advisory_lock(?)")) return false;
            try {
                for (Addon addon : addons.findByServiceAndState(PostgresAddonProvider.SERVICE, Addon.PROVISIONED)) {
                    try {
                        check(addon);
                    } catch (SQLException e) {
                        log.warn("size check of add-on {} failed: {}", addon.name(), e.getMessage());
                    }
                }
            } finally {
                advisory(c, "SELECT pg_advisory_unlock(?)");
            }
            return true;
        }
    }

    private void check(Addon addon) throws SQLException {
        Optional<AddonPlan> plan = catalogue.plan(addon.plan());
        String name = PgNames.of(addon);
        long size = databases.size(name);
        if (size < 0) return; // not made yet, or gone
        long limit = plan.map(AddonPlan::storageMb).orElse(0L) * 1024 * 1024;
        boolean over = limit > 0 && size > limit;
        boolean locked = databases.writesLocked(name);
        if (over && !locked) {
            writeLock.lock(name);
            tell(addon, "Database " + addon.name() + " is over its plan's size limit (" + mb(size) + " of "
                    + mb(limit) + "): INSERT, UPDATE and CREATE are refused until it is below again. "
                    + "Delete data or change the plan (heroku addons:upgrade).");
        } else if (!over && locked) {
            writeLock.unlock(name);
            tell(addon, "Database " + addon.name() + " is within its plan's size limit again (" + mb(size) + " of "
                    + (limit > 0 ? mb(limit) : "no limit") + "): writes are allowed.");
        }
    }

    private void tell(Addon addon, String message) {
        log.info("{}", message);
        logs.ingest(List.of(new LogLine(addon.appId(), 0, Instant.now(), LogLine.SOURCE_APP, LOG_DYNO, message)));
    }

    private static String mb(long bytes) {
        return (bytes / (1024 * 1024)) + " MB";
    }

    private static boolean advisory(Connection c, String sql) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setLong(1, LOCK_KEY);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
