package io.slipway.api.deploykeys.web;

import io.slipway.api.apps.App;
import io.slipway.api.deploykeys.DeployKey;
import java.time.Instant;
import java.util.UUID;

/**
 * A deploy key as Slipway's API shows it (Heroku has no deploy keys; the shape follows its {@code key}:
 * snake_case names, SHA-256 {@code fingerprint}, the app as {@code {id, name}}).
 */
public record DeployKeyJson(
        AppRef app,
        Instant createdAt,
        String fingerprint,
        UUID id,
        String name,
        String publicKey) {

    public record AppRef(UUID id, String name) {}

    public static DeployKeyJson of(DeployKey key, App app) {
        return new DeployKeyJson(new AppRef(app.id(), app.name()), key.createdAt(), key.fingerprint(), key.id(),
                key.name(), key.publicKey());
    }
}
