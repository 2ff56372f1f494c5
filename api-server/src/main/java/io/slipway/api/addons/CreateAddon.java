package io.slipway.api.addons;

import io.slipway.api.errors.DomainException;
import io.slipway.api.errors.InvalidInput;
import io.slipway.api.errors.NotFound;
import io.slipway.api.errors.Unavailable;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonPlan;
import io.slipway.api.addons.catalogue.AddonService;
import io.slipway.api.addons.provider.AddonProvider;
import io.slipway.api.addons.provider.Provisioned;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppLock;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code heroku addons:create} ({@code POST /apps/{app}/addons}). Three steps, because making a database may take
 * seconds and must not hold a transaction or the app's lock: record the add-on {@code provisioning}; let the
 * provider make it, outside any transaction; then, in one transaction, mark it {@code provisioned}, attach it to
 * its app and set the config vars in one release. If the provider fails, the add-on row goes and nothing was
 * attached or released; if the last step fails, the resource is deprovisioned again.
 */
@Service
public class CreateAddon {
    private static final Logger log = LoggerFactory.getLogger(CreateAddon.class);
    private final AppAccess appAccess;
    private final AppLock appLock;
    private final AppRepository apps;
    private final AddonRepository addons;
    private final AddonCatalogue catalogue;
    private final AddonPlans plans;
    private final AddonNames names;
    private final AddonProviders providers;
    private final AppAttachments appAttachments;
    private final AddonQuota quota;
    private final TransactionTemplate transaction;

    public CreateAddon(AppAccess appAccess, AppLock appLock, AppRepository apps, AddonRepository addons,
                       AddonCatalogue catalogue, AddonPlans plans, AddonNames names, AddonProviders providers,
                       AppAttachments appAttachments, AddonQuota quota, PlatformTransactionManager transactions) {
        this.quota = quota;
        this.appAccess = appAccess;
        this.appLock = appLock;
        this.apps = apps;
        this.addons = addons;
        this.catalogue = catalogue;
        this.plans = plans;
        this.names = names;
        this.providers = providers;
        this.appAttachments = appAttachments;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * @param plan       a plan or service name, or a plan id
     * @param attachAs   {@code --as}, or null
     * @param name       {@code --name}, or null for a generated one
     * @param confirm    the app's name, to replace an attachment already using {@code attachAs}
     * @param options    provider options ({@code -- --version 15}); none are supported, so any is refused
     */
    public record Request(String app, String plan, String attachAs, String name, String confirm,
                          Map<String, String> options) {}

    public record Created(Addon addon, List<AddonAttachment> attachments) {}

    public Created create(Caller caller, Request request) {
        appAccess.visible(caller, request.app()); // another tenant's app answers not_found before anything else
        AddonPlan plan = plans.resolve(request.plan());
        AddonService service = catalogue.service(plan.service()).orElseThrow();
        if (request.options() != null && !request.options().isEmpty()) {
            throw new InvalidInput(service.name() + " takes no provisioning options on this platform (got "
                    + String.join(", ", request.options().keySet()) + ").");
        }
        AddonProvider provider = providers.ready(service.name());
        Addon recorded = record(caller, request, service, plan);
        Provisioned made;
        try {
            made = provider.provision(recorded, plan);
        } catch (RuntimeException e) {
            forget(recorded);
            if (e instanceof DomainException api) throw api;
            log.error("provisioning add-on {} ({}) failed", recorded.name(), plan.name(), e);
            throw new Unavailable("Could not create " + recorded.name() + ": the " + service.name()
                    + " provider failed. Nothing was attached; try again later.");
        }
        recorded.provisioned(made.providerId(), made.config());
        try {
            return transaction.execute(tx -> attach(caller, request, service, recorded, made));
        } catch (RuntimeException e) {
            undo(provider, recorded);
            throw e;
        }
    }

    private Addon record(Caller caller, Request request, AddonService service, AddonPlan plan) {
        try {
            return transaction.execute(tx -> {
                App app = appAccess.visible(caller, request.app());
                appAttachments.checkFree(app, request.attachAs(), request.confirm());
                quota.requireSlot(app);
                Addon addon = new Addon(names.choose(service, request.name()), app.id(), service.name(), plan.name());
                return addons.saveAndFlush(addon);
            });
        } catch (DataIntegrityViolationException e) {
            throw new InvalidInput("Name " + request.name() + " is already taken.");
        }
    }

    private Created attach(Caller caller, Request request, AddonService service, Addon recorded, Provisioned made) {
        Addon addon = addons.findById(recorded.id()).orElseThrow(() -> new NotFound("add-on", recorded.name()));
        addon.provisioned(made.providerId(), made.config());
        App app = appLock.lock(apps.findById(addon.appId()).orElseThrow(() -> new NotFound("app", request.app())));
        boolean colour = AttachmentNames.COLOURED_SERVICES.contains(service.name());
        List<String> attachNames = appAttachments.choose(app, service, request.attachAs(), request.confirm(), colour);
        List<AddonAttachment> attached = appAttachments.attach(app, addon, attachNames, caller.accountId());
        return new Created(addons.save(addon), attached);
    }

    private void forget(Addon recorded) {
        transaction.executeWithoutResult(tx -> addons.deleteById(recorded.id()));
    }

    /** The resource exists but could not be attached: remove it again, then the row. */
    private void undo(AddonProvider provider, Addon recorded) {
        try {
            provider.deprovision(recorded);
            forget(recorded);
        } catch (RuntimeException e) {
            log.error("add-on {} was provisioned but could not be attached nor deprovisioned; it stays recorded "
                    + "(state provisioning) so addons:destroy can retry", recorded.name(), e);
        }
    }
}
