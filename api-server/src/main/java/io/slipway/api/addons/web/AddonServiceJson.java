package io.slipway.api.addons.web;

import io.slipway.api.addons.catalogue.AddonService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The Platform API's {@code add-on-service}. The data commands are in the stock CLI, so no plugin is named. */
public record AddonServiceJson(
        String cliPluginName,
        Instant createdAt,
        String humanName,
        UUID id,
        String name,
        String state,
        boolean supportsMultipleInstallations,
        boolean supportsSharing,
        Instant updatedAt,
        List<Object> supportedGenerations) {

    public static AddonServiceJson of(AddonService service) {
        return new AddonServiceJson(null, PlanJson.CATALOGUE_TIME, service.humanName(), service.id(), service.name(),
                "ga", true, true, PlanJson.CATALOGUE_TIME, List.of());
    }
}
