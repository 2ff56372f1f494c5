package io.slipway.api.apps;

import java.time.Instant;
import java.util.UUID;

/** What an app listing shows of each app (no config vars, nothing to decrypt), with its owner's email. */
public record AppSummary(UUID id, String name, UUID ownerId, String ownerEmail, String region, String stack,
                         String buildStack, boolean maintenance, boolean acm, long repoSize, long slugSize,
                         Instant releasedAt, Instant createdAt, Instant updatedAt) {

    public static AppSummary of(App app, String ownerEmail) {
        return new AppSummary(app.id(), app.name(), app.ownerId(), ownerEmail, app.region(), app.stack(),
                app.buildStack(), app.maintenance(), app.acm(), app.repoSize(), app.slugSize(), app.releasedAt(),
                app.createdAt(), app.updatedAt());
    }
}
