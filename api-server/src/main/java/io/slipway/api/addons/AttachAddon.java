package io.slipway.api.addons;

import io.slipway.api.errors.InvalidInput;
import io.slipway.api.addons.catalogue.AddonCatalogue;
import io.slipway.api.addons.catalogue.AddonService;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppLock;
import io.slipway.api.identity.Caller;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code heroku addons:attach ADDON -a APP [--as NAME]} ({@code POST /addon-attachments}): the app gets the
 * add-on's config vars under the new name, in one release. Only someone who can use the add-on's billing app
 * may share it, and only with an app they can use.
 */
@Service
public class AttachAddon {
    private final AddonAccess addonAccess;
    private final AppAccess appAccess;
    private final AppLock appLock;
    private final AddonCatalogue catalogue;
    private final AppAttachments appAttachments;

    public AttachAddon(AddonAccess addonAccess, AppAccess appAccess, AppLock appLock, AddonCatalogue catalogue,
                       AppAttachments appAttachments) {
        this.addonAccess = addonAccess;
        this.appAccess = appAccess;
        this.appLock = appLock;
        this.catalogue = catalogue;
        this.appAttachments = appAttachments;
    }

    public record Request(String addon, String app, String name, String confirm, String namespace) {}

    @Transactional
    public AddonAttachment attach(Caller caller, Request request) {
        if (request.addon() == null) throw new InvalidInput("Missing required param `addon`.");
        if (request.app() == null) throw new InvalidInput("Missing required param `app`.");
        if (request.namespace() != null) {
            throw new InvalidInput("Attaching a credential (namespace) is not supported on this platform.");
        }
        Addon addon = addonAccess.billedTo(caller, request.addon());
        if (!Addon.PROVISIONED.equals(addon.state())) {
            throw new InvalidInput(addon.name() + " is still " + addon.state() + "; attach it once it is provisioned.");
        }
        App app = appLock.lock(appAccess.visible(caller, request.app()));
        AddonService service = catalogue.service(addon.service()).orElseThrow();
        List<String> names = appAttachments.choose(app, service, request.name(), request.confirm(), false);
        return appAttachments.attach(app, addon, names, caller.accountId()).get(0);
    }
}
