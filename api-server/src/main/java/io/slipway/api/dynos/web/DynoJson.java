package io.slipway.api.dynos.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.slipway.api.apps.App;
import io.slipway.api.dynos.Dyno;
import io.slipway.api.releases.Release;
import java.time.Instant;
import java.util.UUID;

/**
 * The Platform API's {@code dyno} shape, as the runtime recorded it. {@code release} is left out for a dyno
 * whose release is unknown (the schema has no null for it). {@code attach_url} is null for everyone but the
 * user who started the one-off ({@link Dyno#attachUrlFor}).
 */
public record DynoJson(
        Ref app,
        String attachUrl,
        String command,
        Instant createdAt,
        UUID id,
        String name,
        @JsonInclude(JsonInclude.Include.NON_NULL) ReleaseRef release,
        String size,
        String state,
        String type,
        Instant updatedAt) {

    public record Ref(UUID id, String name) {}

    public record ReleaseRef(UUID id, int version) {}

    public static DynoJson of(Dyno d, App app, Release release, UUID viewer) {
        return new DynoJson(new Ref(app.id(), app.name()), d.attachUrlFor(viewer), d.command(), d.createdAt(), d.id(),
                d.name(), release == null ? null : new ReleaseRef(release.id(), release.version()), d.size(),
                d.state(), d.type(), d.updatedAt());
    }
}
