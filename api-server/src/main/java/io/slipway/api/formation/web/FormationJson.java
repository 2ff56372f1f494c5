package io.slipway.api.formation.web;

import io.slipway.api.apps.App;
import io.slipway.api.formation.Formation;
import io.slipway.shared.dynos.DynoSize;
import java.time.Instant;
import java.util.UUID;

/** The Platform API's {@code formation} shape; {@code size} (deprecated by Heroku) is what the CLI prints. */
public record FormationJson(
        Ref app,
        String command,
        Instant createdAt,
        Ref dynoSize,
        UUID id,
        int quantity,
        String size,
        String type,
        Instant updatedAt) {

    public record Ref(UUID id, String name) {}

    public static FormationJson of(Formation f, App app) {
        // a stored size no longer offered is shown as stored, never renamed
        Ref size = DynoSize.find(f.size()).map(s -> new Ref(s.id(), s.herokuName()))
                .orElseGet(() -> new Ref(DynoSize.idOf(f.size()), f.size()));
        return new FormationJson(new Ref(app.id(), app.name()), f.command(), f.createdAt(),
                size, f.id(), f.quantity(), size.name(), f.type(), f.updatedAt());
    }
}
