package io.slipway.api.logs.web;

import io.slipway.api.logs.LogSession;
import java.time.Instant;
import java.util.UUID;

/** The Platform API's {@code log-session} shape; {@code logplex_url} is all the CLI reads. */
public record LogSessionJson(Instant createdAt, UUID id, String logplexUrl, Instant updatedAt) {
    public static LogSessionJson of(LogSession session, String logplexUrl) {
        return new LogSessionJson(session.createdAt(), session.id(), logplexUrl, session.createdAt());
    }
}
