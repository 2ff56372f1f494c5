package io.slipway.api.logs;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.secrets.Digests;
import io.slipway.api.ApiServerConfig;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code POST /apps/{app}/log-sessions} and the lookup behind {@code GET /log-stream/<token>}. The token is
 * 32 random bytes (hex) and only its SHA-256 is stored, so the table alone does not let anyone read logs.
 * A tail session's URL works for {@code tail-session-ttl} (the CLI reconnects to the same URL), others for
 * {@code session-ttl}; expired sessions are deleted as new ones are made.
 */
@Service
public class LogSessions {
    public static final int DEFAULT_LINES = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AppAccess access;
    private final JdbcTemplate jdbc;
    private final ApiServerConfig.Logs config;

    public LogSessions(AppAccess access, JdbcTemplate jdbc, ApiServerConfig config) {
        this.access = access;
        this.jdbc = jdbc;
        this.config = config.logs();
    }

    /** What to show: null fields are Heroku's defaults (every dyno and source, 100 lines, no tail). */
    public record Request(String dyno, String source, Integer lines, Boolean tail) {}

    public record Created(LogSession session, String token) {}

    public Created create(Caller caller, String appIdentity, Request request) {
        App app = access.visible(caller, appIdentity);
        int lines = request.lines() == null ? DEFAULT_LINES : request.lines();
        if (lines < 0 || lines > config.keepLines()) {
            throw new InvalidInput("Invalid `lines`: use a number from 0 to " + config.keepLines() + ".");
        }
        String source = blankToNull(request.source());
        if (source != null && !List.of(LogLine.SOURCE_APP, LogLine.SOURCE_HEROKU).contains(source)) {
            throw new InvalidInput("Invalid `source`: use app or heroku.");
        }
        String dyno = blankToNull(request.dyno());
        if (dyno != null && (dyno.length() > 100 || !dyno.matches("[A-Za-z0-9_.-]+"))) {
            throw new InvalidInput("Invalid `dyno`: use a dyno name such as web.1 or a process type such as web.");
        }
        boolean tail = Boolean.TRUE.equals(request.tail());
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expires = now.plus(tail ? config.tailSessionTtl() : config.sessionTtl());
        LogSession session = new LogSession(UUID.randomUUID(), app.id(), new LogFilter(source, dyno), lines, tail, now, expires);
        jdbc.update("DELETE FROM log_sessions WHERE expires_at < now()");
        jdbc.update("INSERT INTO log_sessions (id, token_hash, app_id, dyno, source, lines, tail, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                session.id(), hash(token), app.id(), dyno, source, lines, tail, Timestamp.from(now), Timestamp.from(expires));
        return new Created(session, token);
    }

    /** The live session the token belongs to; empty when unknown or expired. */
    public Optional<LogSession> find(String token) {
        if (token == null || !token.matches("[0-9a-f]{64}")) return Optional.empty();
        return jdbc.query("SELECT * FROM log_sessions WHERE token_hash = ? AND expires_at > now()", (rs, i) ->
                new LogSession(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                        new LogFilter(rs.getString("source"), rs.getString("dyno")), rs.getInt("lines"),
                        rs.getBoolean("tail"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("expires_at").toInstant()), hash(token)).stream().findFirst();
    }

    static String hash(String token) {
        return Digests.sha256Hex(token);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
