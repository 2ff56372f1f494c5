package io.slipway.api.features.web;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.features.EnabledFeature;
import io.slipway.api.features.Feature;
import io.slipway.api.features.FeatureCatalogue;
import io.slipway.api.features.FeatureSwitches;
import io.slipway.api.features.SetFeature;
import io.slipway.api.web.ApiErrors;
import io.slipway.api.identity.Caller;
import io.slipway.api.web.JsonBody;
import io.slipway.api.web.Paged;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/** Platform API: lab features of the caller's account and of apps ({@code heroku labs}, {@code labs:enable}). */
@RestController
public class FeaturesController {
    private final FeatureCatalogue catalogue;
    private final FeatureSwitches switches;
    private final SetFeature setFeature;
    private final AppAccess access;
    private final ObjectMapper mapper;

    public FeaturesController(FeatureCatalogue catalogue, FeatureSwitches switches, SetFeature setFeature,
                              AppAccess access, ObjectMapper mapper) {
        this.catalogue = catalogue;
        this.switches = switches;
        this.setFeature = setFeature;
        this.access = access;
        this.mapper = mapper;
    }

    @GetMapping("/account/features")
    public ResponseEntity<List<FeatureJson>> accountFeatures(Caller caller,
                                                             @RequestHeader(value = "Range", required = false) String range) {
        return list(Feature.Scope.ACCOUNT, caller.accountId(), range);
    }

    @GetMapping("/account/features/{feature}")
    public FeatureJson accountFeature(Caller caller, @PathVariable String feature) {
        return info(Feature.Scope.ACCOUNT, caller.accountId(), feature);
    }

    @PatchMapping("/account/features/{feature}")
    public FeatureJson updateAccountFeature(Caller caller, @PathVariable String feature,
                                           @RequestBody(required = false) String body) {
        return update(Feature.Scope.ACCOUNT, caller.accountId(), null, feature, body);
    }

    @GetMapping("/apps/{app}/features")
    public ResponseEntity<List<FeatureJson>> appFeatures(Caller caller, @PathVariable String app,
                                                         @RequestHeader(value = "Range", required = false) String range) {
        return list(Feature.Scope.APP, appId(caller, app), range);
    }

    @GetMapping("/apps/{app}/features/{feature}")
    public FeatureJson appFeature(Caller caller, @PathVariable String app, @PathVariable String feature) {
        return info(Feature.Scope.APP, appId(caller, app), feature);
    }

    /** Collaborators may switch app features, as they may change config. */
    @PatchMapping("/apps/{app}/features/{feature}")
    public FeatureJson updateAppFeature(Caller caller, @PathVariable String app, @PathVariable String feature,
                                       @RequestBody(required = false) String body) {
        App found = access.visible(caller, app);
        return update(Feature.Scope.APP, found.id(), found.name(), feature, body);
    }

    private ResponseEntity<List<FeatureJson>> list(Feature.Scope scope, UUID ownerId, String range) {
        Map<String, EnabledFeature> on = switches.enabledFor(ownerId);
        return Paged.of(catalogue.all(scope))
                .by("id", f -> f.id().toString())
                .by("name", Feature::name)
                .respond(range, f -> FeatureJson.of(f, on.get(f.name())));
    }

    private FeatureJson info(Feature.Scope scope, UUID ownerId, String identity) {
        Feature feature = catalogue.find(scope, identity);
        return FeatureJson.of(feature, switches.enabledFor(ownerId).get(feature.name()));
    }

    private FeatureJson update(Feature.Scope scope, UUID ownerId, String appName, String identity, String body) {
        JsonBody json = JsonBody.parse(mapper, body);
        Feature feature = catalogue.find(scope, identity);
        Boolean enabled = json.optBoolean("enabled");
        if (enabled == null) throw ApiErrors.invalidParams("Missing required param `enabled` (true or false).");
        return FeatureJson.of(feature, setFeature.set(ownerId, appName, feature, enabled));
    }

    private UUID appId(Caller caller, String app) {
        App found = access.visible(caller, app);
        return found.id();
    }
}
