package io.slipway.api.logs.web;

import io.slipway.api.errors.DomainException;
import io.slipway.api.limits.StreamCaps;
import io.slipway.api.logs.LogSession;
import io.slipway.api.logs.LogSessions;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.web.ErrorWriter;
import io.slipway.api.web.PublicPaths;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * A log session's {@code logplex_url}: {@code GET /log-stream/<token>}, no Authorization (the token is the
 * credential; {@link PublicPaths}), {@code text/event-stream} ({@link LogStreams}). An unknown or expired
 * token is a Heroku-style 404, written here since the client asked for an event stream, not JSON
 * ({@code heroku logs --tail} then says the stream timed out).
 */
@RestController
public class LogStreamController {
    public static final String PATH_PREFIX = "/log-stream/";
    private final LogSessions sessions;
    private final LogStreams streams;
    private final ErrorWriter errors;
    private final StreamCaps caps;

    public LogStreamController(LogSessions sessions, LogStreams streams, ErrorWriter errors, StreamCaps caps) {
        this.caps = caps;
        this.sessions = sessions;
        this.streams = streams;
        this.errors = errors;
    }

    @GetMapping(PATH_PREFIX + "{token}")
    public ResponseEntity<ResponseBodyEmitter> stream(@PathVariable String token,
                                                      @RequestHeader(value = "Last-Event-ID", required = false) String lastEventId,
                                                      HttpServletResponse response) throws IOException {
        Optional<LogSession> session = sessions.find(token);
        if (session.isEmpty()) {
            errors.write(response, ApiErrors.notFound("log-session", "this log session"));
            return null;
        }
        Runnable release;
        try {
            release = caps.acquire(StreamCaps.Kind.LOG, session.get().appId());
        } catch (DomainException e) {
            errors.write(response, ApiErrors.of(e));
            return null;
        }
        ResponseBodyEmitter emitter = streams.follow(session.get(), seq(lastEventId), release);
        if (emitter == null) {
            release.run();
            errors.write(response, ApiErrors.unavailable("This server cannot open another log stream now (too many open, or shutting down); try again shortly."));
            return null;
        }
        return ResponseEntity.ok()
                .contentType(LogStreams.EVENT_STREAM_UTF8)
                .cacheControl(CacheControl.noStore())
                .header("X-Accel-Buffering", "no")
                .body(emitter);
    }

    /** A reconnecting EventSource's last id: a seq, or null (then the backlog is sent as for a new stream). */
    private static Long seq(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) return null;
        try {
            long seq = Long.parseLong(lastEventId.trim());
            return seq >= 0 ? seq : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
