package io.slipway.api.logdrains.web;

import io.slipway.api.apps.App;
import io.slipway.api.logdrains.LogDrain;
import java.time.Instant;
import java.util.UUID;

/** The Platform API's {@code log-drain} shape. Drains come from users, never from add-ons: {@code addon} is null. */
public record LogDrainJson(
        Object addon,
        AppRef app,
        Instant createdAt,
        UUID id,
        String token,
        Instant updatedAt,
        String url) {

    public record AppRef(UUID id, String name) {}

    public static LogDrainJson of(LogDrain drain, App app) {
        return new LogDrainJson(null, new AppRef(app.id(), app.name()), drain.createdAt(), drain.id(), drain.token(),
                drain.updatedAt(), drain.url());
    }
}
