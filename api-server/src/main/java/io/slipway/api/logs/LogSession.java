package io.slipway.api.logs;

import java.time.Instant;
import java.util.UUID;

/** A stored log session: which app, which lines, and until when its URL works. */
public record LogSession(UUID id, UUID appId, LogFilter filter, int lines, boolean tail, Instant createdAt,
                         Instant expiresAt) {}
