package io.slipway.api.features;

import io.slipway.api.events.EventLog;
import io.slipway.shared.events.EventTypes;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku labs:enable / labs:disable}: turns a catalogued feature on or off for an account or an app.
 * Idempotent: enabling what is on (or disabling what is off) changes nothing. A real change of an app's switch
 * appends {@code app.feature_changed} in the same transaction, so the runtime honouring it (the router, for
 * {@code https-only}) follows without a restart.
 */
@Service
public class SetFeature {
    private final EnabledFeatureRepository enabled;
    private final EventLog events;

    public SetFeature(EnabledFeatureRepository enabled, EventLog events) {
        this.enabled = enabled;
        this.events = events;
    }

    /** An account's switch. @return the switch when the feature is now on, null when it is off */
    @Transactional
    public EnabledFeature set(UUID ownerId, Feature feature, boolean on) {
        return set(ownerId, null, feature, on);
    }

    /**
     * @param appName the app's name when {@code ownerId} is an app (its event carries it), else null
     * @return the switch when the feature is now on, null when it is off
     */
    @Transactional
    public EnabledFeature set(UUID ownerId, String appName, Feature feature, boolean on) {
        int changed = on ? enabled.switchOn(ownerId, feature.name()) : enabled.switchOff(ownerId, feature.name());
        if (changed > 0 && feature.scope() == Feature.Scope.APP) {
            events.append(EventTypes.APP_FEATURE_CHANGED, ownerId, appName,
                    Map.of("name", feature.name(), "enabled", on));
        }
        return on ? enabled.findByOwnerIdAndName(ownerId, feature.name()).orElseThrow() : null;
    }
}
