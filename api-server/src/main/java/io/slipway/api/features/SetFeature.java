package io.slipway.api.features;

import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku labs:enable / labs:disable}: turns a catalogued feature on or off for an account or an app.
 * Idempotent: enabling what is on (or disabling what is off) changes nothing.
 */
@Service
public class SetFeature {
    private final EnabledFeatureRepository enabled;

    public SetFeature(EnabledFeatureRepository enabled) {
        this.enabled = enabled;
    }

    /** @return the switch when the feature is now on, null when it is off */
    @Transactional
    public EnabledFeature set(UUID ownerId, Feature feature, boolean on) {
        if (!on) {
            enabled.switchOff(ownerId, feature.name());
            return null;
        }
        enabled.switchOn(ownerId, feature.name());
        return enabled.findByOwnerIdAndName(ownerId, feature.name()).orElseThrow();
    }
}
