package io.slipway.api.addons.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.catalogue.AddonService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The Platform API's {@code plan}. Prices are per month, in cents (a self-hosted platform's are usually 0). */
public record PlanJson(
        AddonJson.Ref addonService,
        Instant createdAt,
        List<String> compliance,
        @JsonProperty("default") boolean isDefault,
        String description,
        String humanName,
        UUID id,
        boolean installableInsidePrivateNetwork,
        boolean installableOutsidePrivateNetwork,
        String name,
        Price price,
        boolean spaceDefault,
        String state,
        Instant updatedAt,
        boolean visible) {

    /** Catalogue entries have no history: one fixed timestamp keeps responses stable across restarts. */
    static final Instant CATALOGUE_TIME = Instant.parse("2026-01-01T00:00:00Z");

    public record Price(int cents, boolean contract, String unit) {}

    public static PlanJson of(AddonService service, AddonPlan plan) {
        return new PlanJson(new AddonJson.Ref(service.id(), service.name()), CATALOGUE_TIME, null, plan.defaultPlan(),
                service.humanName() + " " + plan.humanName(), plan.humanName(), plan.id(), false, true, plan.name(),
                new Price(plan.priceCents(), false, "month"), false, "public", CATALOGUE_TIME, true);
    }
}
