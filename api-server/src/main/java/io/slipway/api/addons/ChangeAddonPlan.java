package io.slipway.api.addons;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.provider.Provisioned;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code heroku addons:upgrade} / {@code addons:downgrade} ({@code PATCH /apps/{app}/addons/{addon}} with
 * {@code {"plan": {"name": "heroku-postgresql:essential-1"}}}). The provider applies the new limits outside any
 * transaction; if it hands back new credentials, every attached app gets them in one release each.
 */
@Service
public class ChangeAddonPlan {
    private static final Logger log = LoggerFactory.getLogger(ChangeAddonPlan.class);
    private final AddonAccess access;
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AddonCatalogue catalogue;
    private final AddonPlans plans;
    private final AddonProviders providers;
    private final AppRepository apps;
    private final AppLock appLock;
    private final AttachmentConfig attachmentConfig;
    private final TransactionTemplate transaction;

    public ChangeAddonPlan(AddonAccess access, AddonRepository addons, AddonAttachmentRepository attachments,
                           AddonCatalogue catalogue, AddonPlans plans, AddonProviders providers, AppRepository apps,
                           AppLock appLock, AttachmentConfig attachmentConfig, PlatformTransactionManager transactions) {
        this.access = access;
        this.addons = addons;
        this.attachments = attachments;
        this.catalogue = catalogue;
        this.plans = plans;
        this.providers = providers;
        this.apps = apps;
        this.appLock = appLock;
        this.attachmentConfig = attachmentConfig;
        this.transaction = new TransactionTemplate(transactions);
    }

    public Addon change(Caller caller, String addonIdentity, String planIdentity) {
        Addon addon = transaction.execute(tx -> access.billedTo(caller, addonIdentity));
        AddonPlan to = plans.resolve(planIdentity);
        if (!to.service().equals(addon.service())) {
            throw new InvalidInput("Couldn't find either the add-on service or the add-on plan of \""
                    + planIdentity + "\" for " + addon.service() + ".");
        }
        if (to.name().equals(addon.plan())) return addon;
        if (!Addon.PROVISIONED.equals(addon.state())) {
            throw new InvalidInput(addon.name() + " is still " + addon.state() + "; change its plan once it is provisioned.");
        }
        AddonPlan from = catalogue.plan(addon.plan()).orElse(to);
        Provisioned changed;
        try {
            changed = providers.ready(addon.service()).changePlan(addon, from, to);
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("changing the plan of add-on {} to {} failed", addon.name(), to.name(), e);
            throw new Unavailable("Could not change " + addon.name() + " to " + to.name()
                    + ": its provider failed. It keeps plan " + addon.plan() + ".");
        }
        return transaction.execute(tx -> record(caller, addon.id(), to, changed));
    }

    private Addon record(Caller caller, UUID addonId, AddonPlan to, Provisioned changed) {
        Addon addon = addons.findById(addonId).orElseThrow(() -> new NotFound("add-on", addonId.toString()));
        addon.changePlan(to.name());
        Map<String, String> oldConfig = addon.config();
        if (changed != null && !changed.config().equals(oldConfig)) {
            addon.replaceConfig(changed.config());
            Map<UUID, List<String>> namesByApp = new LinkedHashMap<>();
            for (AddonAttachment a : attachments.findByAddonIdOrderByCreatedAt(addon.id())) {
                namesByApp.computeIfAbsent(a.appId(), k -> new ArrayList<>()).add(a.name());
            }
            namesByApp.forEach((appId, names) -> apps.findById(appId).ifPresent(app ->
                    attachmentConfig.update(appLock.lock(app), addon, oldConfig, names, caller.accountId())));
        }
        return addons.save(addon);
    }
}
