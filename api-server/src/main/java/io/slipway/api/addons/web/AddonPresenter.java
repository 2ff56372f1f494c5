package io.slipway.api.addons.web;

import io.slipway.api.addons.Addon;
import io.slipway.api.addons.AddonAttachment;
import io.slipway.api.addons.AddonAttachmentRepository;
import io.slipway.api.addons.AddonRepository;
import io.slipway.api.addons.AttachmentConfig;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.catalogue.AddonService;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Entities to their Platform API shapes; looks up the app names and catalogue entries the shapes embed. */
@Component
public class AddonPresenter {
    private final AppRepository apps;
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AddonCatalogue catalogue;

    public AddonPresenter(AppRepository apps, AddonRepository addons, AddonAttachmentRepository attachments,
                          AddonCatalogue catalogue) {
        this.apps = apps;
        this.addons = addons;
        this.attachments = attachments;
        this.catalogue = catalogue;
    }

    /** {@code expand}: the lower-cased entries of {@code Accept-Expansion}. */
    public AddonJson addon(Addon addon, Set<String> expand) {
        AddonJson.Ref app = appRef(addon.appId());
        AddonService service = catalogue.service(addon.service()).orElse(null);
        AddonPlan plan = catalogue.plan(addon.plan()).orElse(null);
        Object serviceJson = service == null ? new AddonJson.Ref(null, addon.service())
                : expand.contains("addon_service") ? AddonServiceJson.of(service)
                : new AddonJson.Ref(service.id(), service.name());
        Object planJson = plan == null || service == null ? new AddonJson.Ref(null, addon.plan())
                : expand.contains("plan") ? PlanJson.of(service, plan)
                : new AddonJson.Ref(plan.id(), plan.name());
        List<String> vars = new ArrayList<>();
        for (AddonAttachment a : attachments.findByAddonIdOrderByCreatedAt(addon.id())) {
            if (a.appId().equals(addon.appId())) vars.addAll(AttachmentConfig.varNames(a.name(), addon));
        }
        return new AddonJson(List.of(), serviceJson, new AddonJson.BillingEntity(app.id(), app.name(), "app"), app,
                new PlanJson.Price(plan == null ? 0 : plan.priceCents(), false, "month"), vars, addon.createdAt(),
                addon.id(), addon.name(), planJson, addon.providerId() == null ? addon.id().toString() : addon.providerId(),
                null, addon.state(), addon.updatedAt(), null);
    }

    /** {@code inclusion}: the {@code Accept-Inclusion} header, may be null. */
    public AttachmentJson attachment(AddonAttachment attachment, String inclusion) {
        boolean withPlan = inclusion != null && inclusion.toLowerCase(java.util.Locale.ROOT).contains("addon:plan");
        Addon addon = addons.findById(attachment.addonId()).orElseThrow();
        AddonPlan plan = catalogue.plan(addon.plan()).orElse(null);
        AttachmentJson.AddonRef addonRef = new AttachmentJson.AddonRef(addon.id(), addon.name(), appRef(addon.appId()),
                withPlan ? new AddonJson.Ref(plan == null ? null : plan.id(), addon.plan()) : null);
        return new AttachmentJson(addonRef, appRef(attachment.appId()), AttachmentConfig.varNames(attachment.name(), addon),
                attachment.createdAt(), attachment.id(), attachment.name(), attachment.namespace(), attachment.updatedAt(),
                null, null);
    }

    private AddonJson.Ref appRef(UUID appId) {
        return apps.findById(appId).map(App::name).map(name -> new AddonJson.Ref(appId, name))
                .orElse(new AddonJson.Ref(appId, null));
    }
}
