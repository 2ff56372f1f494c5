package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import org.springframework.stereotype.Component;

/**
 * What users type for a plan: {@code heroku-postgresql} alone is the service's default plan,
 * {@code heroku-postgresql:essential-1} or a plan id that plan. The error text is Heroku's, which
 * {@code addons:upgrade} recognises to list the plans.
 */
@Component
public class AddonPlans {
    private final AddonCatalogue catalogue;

    public AddonPlans(AddonCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    public AddonPlan resolve(String identity) {
        if (identity == null || identity.isBlank()) throw new InvalidInput("Missing required param `plan`.");
        return catalogue.plan(identity)
                .or(() -> catalogue.service(identity).map(s -> s.defaultPlan()))
                .orElseThrow(() -> new InvalidInput("Couldn't find either the add-on service or the add-on plan of \""
                        + identity + "\"."));
    }
}
