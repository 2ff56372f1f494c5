package io.slipway.api.apps.web;

import io.slipway.api.ApiServerConfig;
import io.slipway.api.accounts.Account;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppSummary;
import io.slipway.api.apps.Regions;
import io.slipway.api.apps.Stacks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * The Platform API's {@code app} shape. Teams and spaces do not exist here; they are null or false. {@code acm}: heroku
 * certs:auto:enable. Written by {@link AppJsonSerializer} (a {@code GET /apps} page writes 200 of them).
 */
@JsonSerialize(using = AppJsonSerializer.class)
public record AppJson(
        boolean acm,
        Instant archivedAt,
        String buildpackProvidedDescription,
        Ref buildStack,
        Instant createdAt,
        Ref generation,
        String gitUrl,
        UUID id,
        boolean internalRouting,
        boolean maintenance,
        String name,
        Owner owner,
        Ref organization,
        Ref team,
        Ref region,
        Instant releasedAt,
        long repoSize,
        long slugSize,
        Ref space,
        Ref stack,
        Instant updatedAt,
        String webUrl) {

    public record Ref(UUID id, String name) {}

    public record Owner(String email, UUID id) {}

    private static final Ref CEDAR = new Ref(UUID.nameUUIDFromBytes("generation:cedar".getBytes(StandardCharsets.UTF_8)), "cedar");

    public static AppJson of(App app, Account owner, ApiServerConfig config) {
        return of(app, new Owner(owner.email(), owner.id()), config);
    }

    public static AppJson of(App app, Owner owner, ApiServerConfig config) {
        return of(AppSummary.of(app, owner.email()), config);
    }

    public static AppJson of(AppSummary app, ApiServerConfig config) {
        return new AppJson(app.acm(), null, null,
                new Ref(Stacks.id(app.buildStack()), app.buildStack()),
                app.createdAt(), CEDAR, config.gitUrl(app.name()), app.id(), false, app.maintenance(), app.name(),
                new Owner(app.ownerEmail(), app.ownerId()), null, null,
                new Ref(Regions.id(app.region()), app.region()),
                app.releasedAt(), app.repoSize(), app.slugSize(), null,
                new Ref(Stacks.id(app.stack()), app.stack()),
                app.updatedAt(), config.webUrl(app.name()));
    }
}
