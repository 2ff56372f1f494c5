package io.slipway.api.features;

import io.slipway.api.errors.NotFound;
import io.slipway.api.identity.Identities;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The lab features this platform offers, in code. Empty for now: no component yet changes its behaviour on
 * a lab switch, and listing Heroku's names without honouring them would tell users something false.
 * {@code heroku labs} then shows empty lists and {@code labs:enable X} answers not found. A component that
 * starts honouring a switch adds its {@link Feature} to {@link #OFFERED} and reads {@link FeatureSwitches}.
 */
@Component
public class FeatureCatalogue {
    static final List<Feature> OFFERED = List.of();
    private final List<Feature> features;

    @Autowired
    public FeatureCatalogue() {
        this(OFFERED);
    }

    public FeatureCatalogue(List<Feature> features) {
        this.features = List.copyOf(features);
    }

    public List<Feature> all(Feature.Scope scope) {
        return features.stream().filter(f -> f.scope() == scope).toList();
    }

    /** By name or id, as Heroku's feature identity; unknown ones are not found. */
    public Feature find(Feature.Scope scope, String identity) {
        UUID id = Identities.uuidOrNull(identity);
        return all(scope).stream()
                .filter(f -> id != null ? f.id().equals(id) : f.name().equals(identity))
                .findFirst()
                .orElseThrow(() -> new NotFound(scope == Feature.Scope.APP ? "app-feature" : "account-feature", identity));
    }
}
