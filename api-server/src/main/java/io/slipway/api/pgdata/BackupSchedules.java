package io.slipway.api.pgdata;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.postgres.PgServer;
import io.slipway.api.identity.Caller;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Daily backups ({@code pg:backups:schedule --at '02:00 America/New_York'}, {@code schedules}, {@code unschedule}):
 * one schedule per database. Every few minutes one replica (an advisory lock of the platform's database) starts
 * the backups whose hour has come in their timezone and that have not run that day there.
 */
@Component
public class BackupSchedules {
    /** "pgsched" in ASCII. */
    static final long LOCK_KEY = 0x70_6773_6368_6564L;
    private static final Logger log = LoggerFactory.getLogger(BackupSchedules.class);
    private final PgDatabaseAccess access;
    private final PgTransferScheduleRepository schedules;
    private final AddonRepository addons;
    private final CaptureBackup capture;
    private final PgServer server;
    private final DataSource platform;

    public BackupSchedules(PgDatabaseAccess access, PgTransferScheduleRepository schedules, AddonRepository addons,
                           CaptureBackup capture, PgServer server, DataSource platform) {
        this.access = access;
        this.schedules = schedules;
        this.addons = addons;
        this.capture = capture;
        this.server = server;
        this.platform = platform;
    }

    public PgTransferSchedule schedule(Caller caller, String database, String name, Object hour, String timezone) {
        Addon addon = access.database(caller, database);
        int h;
        try {
            h = hour instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(hour).trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput("hour must be a number from 0 to 23.");
        }
        if (h < 0 || h > 23) throw new InvalidInput("hour must be a number from 0 to 23.");
        String zone = timezone == null || timezone.isBlank() ? "UTC" : timezone;
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new InvalidInput("Unknown timezone " + zone + ": use a name such as UTC or Europe/Paris.");
        }
        String scheduleName = name == null || name.isBlank() ? "DATABASE_URL" : name;
        PgTransferSchedule s = schedules.findByAddonId(addon.id())
                .orElseGet(() -> new PgTransferSchedule(addon.id(), scheduleName, h, zone));
        s.change(scheduleName, h, zone);
        return schedules.save(s);
    }

    public List<PgTransferSchedule> list(Caller caller, String database) {
        Addon addon = access.database(caller, database);
        return schedules.findByAddonId(addon.id()).stream().toList();
    }

    public PgTransferSchedule unschedule(Caller caller, String database, String id) {
        Addon addon = access.database(caller, database);
        PgTransferSchedule s = schedules.findByAddonId(addon.id())
                .filter(x -> x.id().toString().equals(id))
                .orElseThrow(() -> new NotFound("schedule", id));
        schedules.delete(s);
        return s;
    }

    @Scheduled(fixedDelayString = "${slipway.addons.postgres.schedule-check-interval:5m}", initialDelayString = "30s")
    public void scheduled() {
        if (!server.configured()) return;
        try {
            runDue(Instant.now());
        } catch (RuntimeException | SQLException e) {
            log.warn("backup schedule pass failed: {}", e.toString());
        }
    }

    /** Starts the backups due at {@code now}; answers how many (0 when another replica holds the pass). */
    public int runDue(Instant now) throws SQLException {
        int started = 0;
        try (Connection c = platform.getConnection()) {
            if (!advisory(c, "SELECT pg_try_advisory_lock(?)")) return 0;
            try {
                for (PgTransferSchedule s : schedules.findAllByOrderByCreatedAt()) {
                    ZonedDateTime there = now.atZone(ZoneId.of(s.timezone()));
                    if (there.getHour() != s.hour() || there.toLocalDate().equals(s.lastRunOn())) continue;
                    UUID addonId = s.addonId();
                    Addon addon = addons.findById(addonId).filter(a -> Addon.PROVISIONED.equals(a.state())).orElse(null);
                    if (addon == null) continue;
                    try {
                        capture.capture(addon, true);
                        started++;
                    } catch (RuntimeException e) {
                        log.warn("scheduled backup of {} did not start: {}", addon.name(), e.getMessage());
                    }
                    s.ran(there.toLocalDate());
                    schedules.save(s);
                }
            } finally {
                advisory(c, "SELECT pg_advisory_unlock(?)");
            }
        }
        return started;
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
