package io.slipway.api.logs.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.logs.IngestLogs;
import io.slipway.api.logs.LogLine;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ComponentRole;
import io.slipway.api.web.InternalApi;
import io.slipway.api.web.JsonBody;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code POST /internal/logs {"lines":[{"app_id","source","dyno","time"?,"message"}]}} → 204, from the
 * router and dyno-agents (their component tokens; shared {@code LogShipper}). A shipper
 * sends whatever it has batched: a line that cannot be stored (no app id, a bad source or dyno) is dropped
 * rather than failing the others with it, as are lines of apps that do not exist (any more). A missing or
 * unparsable {@code time} is now.
 */
@RestController
@InternalApi({ComponentRole.AGENT, ComponentRole.ROUTER})
public class InternalLogsController {
    private static final int MAX_NAME = 100;
    private final IngestLogs ingest;
    private final ObjectMapper mapper;
    private final int maxLines;

    public InternalLogsController(IngestLogs ingest, ObjectMapper mapper, ApiServerConfig config) {
        this.ingest = ingest;
        this.mapper = mapper;
        this.maxLines = config.logs().maxLinesPerPost();
    }

    @PostMapping("/internal/logs")
    public ResponseEntity<Void> post(@RequestBody(required = false) String body) {
        JsonNode lines = JsonBody.parse(mapper, body).node("lines");
        if (lines == null || !lines.isArray()) throw ApiErrors.invalidParams("Missing required param `lines` (an array).");
        if (lines.size() > maxLines) {
            throw ApiErrors.invalidParams("Too many lines in one request: at most " + maxLines + ".");
        }
        Instant now = Instant.now();
        List<LogLine> parsed = new ArrayList<>(lines.size());
        for (JsonNode n : lines) {
            LogLine line = parse(n, now);
            if (line != null) parsed.add(line);
        }
        ingest.ingest(parsed);
        return ResponseEntity.noContent().build();
    }

    private static LogLine parse(JsonNode n, Instant now) {
        if (n == null || !n.isObject()) return null;
        UUID app = uuid(text(n, "app_id"));
        String source = name(text(n, "source"));
        String dyno = name(text(n, "dyno"));
        String message = text(n, "message");
        if (app == null || source == null || dyno == null) return null;
        return new LogLine(app, 0, time(text(n, "time"), now), source, dyno, message == null ? "" : message);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isString() ? null : v.asString();
    }

    private static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** source and dyno end up in the rendered line and in syslog header fields: short, printable, no spaces. */
    private static String name(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_NAME) return null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 32 || c >= 127) return null;
        }
        return s;
    }

    private static Instant time(String s, Instant now) {
        if (s == null) return now;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return now;
        }
    }
}
