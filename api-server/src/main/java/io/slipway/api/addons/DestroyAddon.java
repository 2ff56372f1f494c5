package io.slipway.api.addons;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.NotFound;
import io.slipway.api.errors.Unavailable;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
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
 * {@code heroku addons:destroy} ({@code DELETE /apps/{app}/addons/{addon}}, {@code DELETE /addons/{addon}}), and
 * the first step of destroying an app. The add-on is detached everywhere first (each app loses its config vars in
 * one release, {@code Detach DATABASE (@ref:...)}), then the provider removes the resource outside any transaction,
 * then the row goes. If the provider fails, the add-on stays (detached) and a repeated destroy retries.
 */
@Service
public class DestroyAddon {
    private static final Logger log = LoggerFactory.getLogger(DestroyAddon.class);
    private final AddonAccess access;
    private final AppAccess appAccess;
    private final AppLock appLock;
    private final AppRepository apps;
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AttachmentConfig attachmentConfig;
    private final AddonProviders providers;
    private final TransactionTemplate transaction;

    public DestroyAddon(AddonAccess access, AppAccess appAccess, AppLock appLock, AppRepository apps,
                        AddonRepository addons, AddonAttachmentRepository attachments, AttachmentConfig attachmentConfig,
                        AddonProviders providers, PlatformTransactionManager transactions) {
        this.access = access;
        this.appAccess = appAccess;
        this.appLock = appLock;
        this.apps = apps;
        this.addons = addons;
        this.attachments = attachments;
        this.attachmentConfig = attachmentConfig;
        this.providers = providers;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** {@code appIdentity} null for {@code DELETE /addons/{addon}}; else the add-on must be billed to that app. */
    public Addon destroy(Caller caller, String appIdentity, String addonIdentity) {
        Addon addon = transaction.execute(tx -> {
            Addon found = access.billedTo(caller, addonIdentity);
            if (appIdentity != null && !appAccess.visible(caller, appIdentity).id().equals(found.appId())) {
                throw new NotFound("add-on", addonIdentity);
            }
            detachEverywhere(found, null, caller.accountId());
            return found;
        });
        return deprovision(addon);
    }

    /**
     * Before {@code app} is destroyed: every add-on billed to it is detached from the other apps and deprovisioned.
     * Its own attachments go without a release: the app and its releases are about to go.
     */
    public void destroyAllBilledTo(Caller caller, App app) {
        List<Addon> billed = transaction.execute(tx -> {
            List<Addon> found = addons.findByAppIdOrderByCreatedAt(app.id());
            for (Addon addon : found) detachEverywhere(addon, app.id(), caller.accountId());
            return found;
        });
        for (Addon addon : billed) deprovision(addon);
    }

    private void detachEverywhere(Addon addon, UUID goingApp, UUID userId) {
        Map<UUID, List<String>> namesByApp = new LinkedHashMap<>();
        for (AddonAttachment a : attachments.findByAddonIdOrderByCreatedAt(addon.id())) {
            namesByApp.computeIfAbsent(a.appId(), k -> new ArrayList<>()).add(a.name());
            attachments.delete(a);
        }
        attachments.flush();
        namesByApp.forEach((appId, names) -> {
            if (appId.equals(goingApp)) return;
            apps.findById(appId).ifPresent(app -> attachmentConfig.detach(appLock.lock(app), addon, names, userId));
        });
    }

    private Addon deprovision(Addon addon) {
        try {
            providers.of(addon.service()).deprovision(addon);
        } catch (DomainException e) {
            throw e;
        } catch (RuntimeException e) {
            log.error("deprovisioning add-on {} failed; it stays recorded, detached", addon.name(), e);
            throw new Unavailable("Could not destroy " + addon.name() + ": its provider failed. It is detached "
                    + "from every app; run addons:destroy again to retry.");
        }
        transaction.executeWithoutResult(tx -> addons.deleteById(addon.id()));
        addon.deprovisioned();
        return addon;
    }
}
