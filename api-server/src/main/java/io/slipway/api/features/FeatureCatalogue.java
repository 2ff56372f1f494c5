package io.slipway.api.features;

import io.slipway.api.errors.NotFound;
import io.slipway.api.identity.Identities;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The lab features this platform offers, in code. Only switches some component really honours are listed:
 * listing Heroku's names without honouring them would tell users something false, so unknown names answer not
 * found. A component that starts honouring a switch adds its {@link Feature} to {@link #OFFERED} and reads
 * {@link FeatureSwitches} (or, for the router, the routes: {@code https_only}).
 */
@Component
public class FeatureCatalogue {
    /** The router answers plain HTTP requests for the app with a redirect to HTTPS (docs/router.md). */
    public static final String HTTPS_ONLY = "https-only";
    /** The docs ship with the platform (no public site to link to); no feedback address (the schema's string: ""). */
    static final Feature HTTPS_ONLY_FEATURE = new Feature(Feature.Scope.APP, HTTPS_ONLY, "HTTPS only",
            "Redirect plain HTTP requests to HTTPS", "docs/router.md#https-only", "", "beta",
            Instant.parse("2026-12-05T00:00:00Z"));
    static final List<Feature> OFFERED = List.of(HTTPS_ONLY_FEATURE);
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
