package io.slipway.api.addons.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Platform API's {@code add-on}. {@code addon_service} and {@code plan} are {@code {id, name}} unless the
 * request asked for them whole ({@code Accept-Expansion: addon_service,plan}, as {@code heroku addons} does);
 * {@code config_vars} are the names the add-on sets on its billing app.
 */
public record AddonJson(
        List<Object> actions,
        Object addonService,
        BillingEntity billingEntity,
        Ref app,
        PlanJson.Price billedPrice,
        List<String> configVars,
        Instant createdAt,
        UUID id,
        String name,
        Object plan,
        String providerId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String provisionMessage,
        String state,
        Instant updatedAt,
        String webUrl) {

    public record Ref(UUID id, String name) {}

    public record BillingEntity(UUID id, String name, String type) {}
}
