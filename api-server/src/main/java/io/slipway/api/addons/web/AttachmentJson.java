package io.slipway.api.addons.web;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code add-on-attachment}, with what {@code Accept-Inclusion: addon:plan,config_vars} adds
 * (the {@code pg:*} resolver reads {@code addon.plan.name} and {@code config_vars}) always included.
 */
public record AttachmentJson(
        AddonRef addon,
        AddonJson.Ref app,
        List<String> configVars,
        Instant createdAt,
        UUID id,
        String name,
        String namespace,
        Instant updatedAt,
        String webUrl,
        String logInputUrl) {

    public record AddonRef(UUID id, String name, AddonJson.Ref app, AddonJson.Ref plan) {}
}
