package io.slipway.api.formation.web;

import io.slipway.api.apps.App;
import io.slipway.api.formation.DefineProcessTypes;
import io.slipway.api.formation.Formation;
import io.slipway.api.releases.phase.NewestReleasePhase;
import io.slipway.shared.dynos.DynoSize;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The Platform API's {@code formation} shape; {@code size} (deprecated by Heroku) is what the CLI prints. The
 * release phase is shown as the type {@code release} with quantity 0 ({@link #releasePhase}), as on Heroku.
 */
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

    /**
     * The {@code release} entry: not a stored formation (nothing scales or schedules it), so its id is derived
     * from the app's, stable across requests.
     */
    public static FormationJson releasePhase(NewestReleasePhase.Entry entry, App app) {
        Ref size = new Ref(entry.size().id(), entry.size().herokuName());
        return new FormationJson(new Ref(app.id(), app.name()), entry.command(), entry.createdAt(), size,
                releasePhaseId(app), 0, size.name(), DefineProcessTypes.RELEASE_PHASE, entry.updatedAt());
    }

    public static UUID releasePhaseId(App app) {
        return UUID.nameUUIDFromBytes(("release-phase:" + app.id()).getBytes(StandardCharsets.UTF_8));
    }
}
