package io.slipway.api.addons.web;

import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.catalogue.AddonService;
import io.slipway.api.web.ApiErrors;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Platform API: the catalogue ({@code addons:services}, {@code addons:plans}, {@code addons:docs}). */
@RestController
public class AddonServicesController {
    private final AddonCatalogue catalogue;

    public AddonServicesController(AddonCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping("/addon-services")
    public List<AddonServiceJson> services() {
        return catalogue.services().stream().map(AddonServiceJson::of).toList();
    }

    @GetMapping("/addon-services/{service}")
    public AddonServiceJson service(@PathVariable String service) {
        return AddonServiceJson.of(find(service));
    }

    @GetMapping("/addon-services/{service}/plans")
    public List<PlanJson> plans(@PathVariable String service) {
        AddonService found = find(service);
        return found.plans().stream().map(p -> PlanJson.of(found, p)).toList();
    }

    /** {@code /addon-services/heroku-postgresql/plans/essential-0} or the full name or id. */
    @GetMapping("/addon-services/{service}/plans/{plan}")
    public PlanJson planOfService(@PathVariable String service, @PathVariable String plan) {
        AddonService found = find(service);
        AddonPlan p = found.plans().stream()
                .filter(x -> x.name().equals(plan) || x.shortName().equals(plan) || x.id().toString().equals(plan))
                .findFirst().orElseThrow(() -> ApiErrors.notFound("plan", plan));
        return PlanJson.of(found, p);
    }

    @GetMapping("/plans/{plan}")
    public PlanJson plan(@PathVariable String plan) {
        AddonPlan p = catalogue.plan(plan).orElseThrow(() -> ApiErrors.notFound("plan", plan));
        return PlanJson.of(catalogue.service(p.service()).orElseThrow(), p);
    }

    private AddonService find(String service) {
        return catalogue.service(service).orElseThrow(() -> ApiErrors.notFound("add-on service", service));
    }
}
