package io.slipway.api.pgdata.web;

import io.slipway.api.pgdata.BackupUrls;
import io.slipway.api.pgdata.DatabaseInfo;
import io.slipway.api.pgdata.PgTransfer;
import io.slipway.api.pgdata.PgTransferSchedule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The data API's JSON, as the stock CLI's {@code pg:*} commands read it (names from Heroku's data API). */
final class PgJson {
    /** Heroku's data API spells times {@code 2026-12-04 10:00:00 +0000}; the CLI sorts them as strings. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z").withZone(ZoneOffset.UTC);

    private PgJson() {}

    static Map<String, Object> database(DatabaseInfo.Info info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", info.addon().id());
        m.put("addon_id", info.addon().id());
        m.put("name", info.addon().name());
        m.put("plan", info.plan() == null ? info.addon().plan() : info.plan().shortName());
        m.put("created_at", time(info.addon().createdAt()));
        // the CLI finds the config vars that hold this URL (pg:info's header)
        m.put("resource_url", info.addon().config().get("URL"));
        m.put("num_bytes", info.bytes());
        m.put("num_connections", info.connections());
        m.put("postgres_version", info.version());
        m.put("available_for_ingress", true);
        m.put("waiting?", false);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DatabaseInfo.Row r : info.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", r.name());
            row.put("values", r.values());
            rows.add(row);
        }
        m.put("info", rows);
        return m;
    }

    static Map<String, Object> transfer(PgTransfer t, String appName, boolean verbose) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", t.id());
        m.put("num", t.num());
        m.put("from_name", t.fromName());
        m.put("from_type", t.fromType());
        m.put("to_name", t.toName());
        m.put("to_type", t.toType());
        m.put("to_url", t.isBackup() ? BackupUrls.of(t) : null);
        m.put("app_name", appName);
        m.put("options", Map.of());
        m.put("source_bytes", t.processedBytes());
        m.put("processed_bytes", t.processedBytes());
        m.put("succeeded", t.succeeded());
        m.put("warnings", 0);
        m.put("schedule", t.scheduled() ? Map.of("name", "DATABASE_URL") : null);
        m.put("created_at", time(t.createdAt()));
        m.put("started_at", time(t.startedAt()));
        m.put("finished_at", time(t.finishedAt()));
        m.put("updated_at", time(t.updatedAt()));
        m.put("deleted_at", null);
        m.put("canceled_at", null);
        if (verbose) {
            List<Map<String, Object>> logs = new ArrayList<>();
            for (String[] line : t.logLines()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("created_at", time(Instant.parse(line[0])));
                l.put("message", line[1]);
                logs.add(l);
            }
            m.put("logs", logs);
        }
        return m;
    }

    static Map<String, Object> schedule(PgTransferSchedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", s.id());
        m.put("name", s.name());
        m.put("hour", s.hour());
        m.put("timezone", s.timezone());
        m.put("days", List.of("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"));
        m.put("retain_weeks", null);
        m.put("retain_months", null);
        m.put("created_at", time(s.createdAt()));
        m.put("updated_at", time(s.updatedAt()));
        return m;
    }

    static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }
}
