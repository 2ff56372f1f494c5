package io.slipway.api.volumes.web;

import io.slipway.api.apps.App;
import io.slipway.api.volumes.Volume;
import java.time.Instant;
import java.util.UUID;

/** A volume as Slipway's API shows it (Heroku has none; snake_case and {@code app: {id, name}} as its shapes). */
public record VolumeJson(AppRef app, Instant createdAt, UUID id, String mountPath, String name, String processType,
                         int sizeMb) {

    public record AppRef(UUID id, String name) {}

    public static VolumeJson of(Volume v, App app) {
        return new VolumeJson(new AppRef(app.id(), app.name()), v.createdAt(), v.id(), v.mountPath(), v.name(),
                v.processType(), v.sizeMb());
    }
}
