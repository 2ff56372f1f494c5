package io.slipway.api.events;

import java.time.Instant;
import java.util.UUID;

/** A row of the {@code events} table; {@code payload} is the JSON object text as written. */
public record StoredEvent(long seq, String type, UUID appId, String appName, String payload, Instant createdAt) {}
