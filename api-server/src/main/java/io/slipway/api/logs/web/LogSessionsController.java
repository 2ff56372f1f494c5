package io.slipway.api.logs.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.logs.LogSessions;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Platform API: {@code POST /apps/{app}/log-sessions} ({@code heroku logs [--tail] [-n N] [-d DYNO] [-s SOURCE]}).
 * The CLI sends {@code dyno} (a dyno name or, for {@code -p web}, a process type); the schema's
 * {@code dyno_name} and {@code type} are read too. {@code logplex_url} is
 * {@code <public origin>/log-stream/<token>}, served by {@link LogStreamController}.
 */
@RestController
public class LogSessionsController {
    private final LogSessions sessions;
    private final ObjectMapper mapper;
    private final ApiServerConfig config;

    public LogSessionsController(LogSessions sessions, ObjectMapper mapper, ApiServerConfig config) {
        this.sessions = sessions;
        this.mapper = mapper;
        this.config = config;
    }

    @PostMapping("/apps/{app}/log-sessions")
    public ResponseEntity<LogSessionJson> create(Caller caller, @PathVariable String app,
                                                 @RequestBody(required = false) String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        String dyno = json.optString("dyno");
        if (dyno == null) dyno = json.optString("dyno_name");
        if (dyno == null) dyno = json.optString("type");
        LogSessions.Created created = sessions.create(caller, app,
                new LogSessions.Request(dyno, json.optString("source"), lines(json), json.optBoolean("tail")));
        String url = config.publicOrigin() + LogStreamController.PATH_PREFIX + created.token();
        return ResponseEntity.status(HttpStatus.CREATED).body(LogSessionJson.of(created.session(), url));
    }

    private static Integer lines(JsonBody json) {
        JsonNode n = json.node("lines");
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiErrors.invalidParams("Invalid `lines`: expected a whole number.");
        }
        return n.asInt();
    }
}
