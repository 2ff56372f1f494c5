package io.slipway.api.features;

import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reads which features are on for an account or an app; what a component honouring a switch asks. */
@Component
public class FeatureSwitches {
    private final EnabledFeatureRepository enabled;

    public FeatureSwitches(EnabledFeatureRepository enabled) {
        this.enabled = enabled;
    }

    /** Feature name to the switch that turned it on, for every feature on for this account or app. */
    @Transactional(readOnly = true)
    public Map<String, EnabledFeature> enabledFor(UUID ownerId) {
        return enabled.findByOwnerId(ownerId).stream()
                .collect(Collectors.toMap(EnabledFeature::name, Function.identity()));
    }

    @Transactional(readOnly = true)
    public boolean isEnabled(UUID ownerId, String name) {
        return enabled.findByOwnerIdAndName(ownerId, name).isPresent();
    }
}
