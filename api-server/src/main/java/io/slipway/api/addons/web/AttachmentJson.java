package io.slipway.api.addons.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code add-on-attachment}. {@code config_vars} is always there; {@code addon.plan} only when
 * asked for with {@code Accept-Inclusion: addon:plan} (the {@code pg:*} resolver reads {@code addon.plan.name}),
 * since Heroku's schema allows no other field in {@code addon}.
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

    public record AddonRef(UUID id, String name, AddonJson.Ref app,
                           @JsonInclude(JsonInclude.Include.NON_NULL) AddonJson.Ref plan) {}
}
