package io.slipway.api.features.web;

import io.slipway.api.features.EnabledFeature;
import io.slipway.api.features.Feature;
import java.time.Instant;
import java.util.UUID;

/**
 * The Platform API's {@code account-feature} and {@code app-feature} shapes (identical). {@code updated_at}
 * is when the caller switched it on, if it is on and that is later than its introduction.
 */
public record FeatureJson(
        Instant createdAt,
        String description,
        String docUrl,
        boolean enabled,
        UUID id,
        String name,
        String state,
        Instant updatedAt,
        String displayName,
        String feedbackEmail) {

    /** @param on the switch, or null when the feature is off for this account or app */
    public static FeatureJson of(Feature f, EnabledFeature on) {
        Instant updated = on != null && on.createdAt().isAfter(f.introducedAt()) ? on.createdAt() : f.introducedAt();
        return new FeatureJson(f.introducedAt(), f.description(), f.docUrl(), on != null, f.id(), f.name(), f.state(),
                updated, f.displayName(), f.feedbackEmail());
    }
}
