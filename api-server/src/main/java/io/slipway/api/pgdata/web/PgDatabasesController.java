package io.slipway.api.pgdata.web;

import io.slipway.api.addons.Addon;
import io.slipway.api.pgdata.BackupSchedules;
import io.slipway.api.pgdata.CaptureBackup;
import io.slipway.api.pgdata.DatabaseInfo;
import io.slipway.api.pgdata.PgDatabaseAccess;
import io.slipway.api.pgdata.ResetDatabase;
import io.slipway.api.pgdata.RestoreBackup;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Heroku's data API for one database ({@code HEROKU_DATA_HOST} is the api-server itself, same API key):
 * {@code pg:info}, {@code pg:killall}, {@code pg:reset}, {@code pg:credentials:url}, {@code pg:backups:capture},
 * {@code pg:backups:restore} and the backup schedules. {@code {id}} is the add-on's id or name.
 */
@RestController
public class PgDatabasesController {
    private final PgDatabaseAccess access;
    private final DatabaseInfo info;
    private final ResetDatabase reset;
    private final CaptureBackup capture;
    private final RestoreBackup restore;
    private final BackupSchedules schedules;
    private final ObjectMapper mapper;

    public PgDatabasesController(PgDatabaseAccess access, DatabaseInfo info, ResetDatabase reset, CaptureBackup capture,
                                 RestoreBackup restore, BackupSchedules schedules, ObjectMapper mapper) {
        this.access = access;
        this.info = info;
        this.reset = reset;
        this.capture = capture;
        this.restore = restore;
        this.schedules = schedules;
        this.mapper = mapper;
    }

    @GetMapping("/client/v11/databases/{id}")
    public Map<String, Object> info(Caller caller, @PathVariable String id) {
        return PgJson.database(info.of(access.database(caller, id)));
    }

    @PostMapping("/client/v11/databases/{id}/connection_reset")
    public Map<String, Object> killAll(Caller caller, @PathVariable String id) {
        return Map.of("message", reset.killAll(caller, id) + " connections terminated");
    }

    @PutMapping("/client/v11/databases/{id}/reset")
    public Map<String, Object> reset(Caller caller, @PathVariable String id) {
        Addon addon = reset.reset(caller, id);
        return Map.of("message", addon.name() + " was reset");
    }

    /** {@code pg:credentials:url}: this platform has one credential per database, {@code default}. */
    @GetMapping("/postgres/v0/databases/{id}/credentials/{credential}")
    public Map<String, Object> credential(Caller caller, @PathVariable String id, @PathVariable String credential) {
        Addon addon = access.database(caller, id);
        if (!"default".equals(credential)) throw ApiErrors.notFound("credential", credential);
        URI url = URI.create(addon.config().get("URL"));
        String[] userInfo = url.getRawUserInfo().split(":", 2);
        Map<String, Object> cred = new LinkedHashMap<>();
        cred.put("user", userInfo[0]);
        cred.put("password", userInfo[1]);
        cred.put("state", "active");
        cred.put("connections", null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uuid", addon.id());
        m.put("name", "default");
        m.put("state", "active");
        m.put("database", url.getPath().substring(1));
        m.put("host", url.getHost());
        m.put("port", url.getPort());
        m.put("credentials", List.of(cred));
        return m;
    }

    @PostMapping("/client/v11/databases/{id}/backups")
    public ResponseEntity<Map<String, Object>> capture(Caller caller, @PathVariable String id) {
        var t = capture.capture(caller, id);
        return ResponseEntity.status(HttpStatus.CREATED).body(PgJson.transfer(t, null, false));
    }

    @PostMapping("/client/v11/databases/{id}/restores")
    public ResponseEntity<Map<String, Object>> restore(Caller caller, @PathVariable String id,
                                                       @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        var t = restore.restore(caller, id, json.optString("backup_url"));
        return ResponseEntity.status(HttpStatus.CREATED).body(PgJson.transfer(t, null, false));
    }

    @GetMapping("/client/v11/databases/{id}/transfer-schedules")
    public List<Map<String, Object>> schedules(Caller caller, @PathVariable String id) {
        return schedules.list(caller, id).stream().map(PgJson::schedule).toList();
    }

    @PostMapping("/client/v11/databases/{id}/transfer-schedules")
    public ResponseEntity<Map<String, Object>> schedule(Caller caller, @PathVariable String id,
                                                        @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        JsonNode hour = json.node("hour");
        Object h = hour == null || hour.isNull() ? null : hour.isNumber() ? (Object) hour.asInt() : hour.asString();
        if (h == null) throw ApiErrors.invalidParams("hour is required.");
        var s = schedules.schedule(caller, id, json.optString("schedule_name"), h, json.optString("timezone"));
        return ResponseEntity.status(HttpStatus.CREATED).body(PgJson.schedule(s));
    }

    @DeleteMapping("/client/v11/databases/{id}/transfer-schedules/{schedule}")
    public Map<String, Object> unschedule(Caller caller, @PathVariable String id, @PathVariable String schedule) {
        return PgJson.schedule(schedules.unschedule(caller, id, schedule));
    }
}
