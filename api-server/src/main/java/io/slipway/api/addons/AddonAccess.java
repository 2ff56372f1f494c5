package io.slipway.api.addons;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The one gate to an add-on: a caller sees an add-on when they can use its billing app or an app it is attached
 * to; any other add-on answers exactly like a missing one ({@code not_found}), so names do not leak.
 */
@Component
public class AddonAccess {
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AppRepository apps;
    private final AppAccess appAccess;

    public AddonAccess(AddonRepository addons, AddonAttachmentRepository attachments, AppRepository apps,
                       AppAccess appAccess) {
        this.addons = addons;
        this.attachments = attachments;
        this.apps = apps;
        this.appAccess = appAccess;
    }

    /** By name, id or {@code app::ATTACHMENT}, as Heroku's {@code add_on_identity}; deprovisioned add-ons are gone. */
    public Addon visible(Caller caller, String identity) {
        return find(identity)
                .filter(a -> !Addon.DEPROVISIONED.equals(a.state()))
                .filter(a -> canUse(caller, a))
                .orElseThrow(() -> new NotFound("add-on", identity));
    }

    /** Only callers who can use the add-on's billing app may change or destroy it. */
    public Addon billedTo(Caller caller, String identity) {
        Addon addon = visible(caller, identity);
        App billing = apps.findById(addon.appId()).orElseThrow(() -> new NotFound("add-on", identity));
        if (!appAccess.canUse(caller, billing)) throw new NotFound("add-on", identity);
        return addon;
    }

    public boolean canUse(Caller caller, Addon addon) {
        if (apps.findById(addon.appId()).filter(app -> appAccess.canUse(caller, app)).isPresent()) return true;
        return attachments.findByAddonIdOrderByCreatedAt(addon.id()).stream()
                .anyMatch(att -> apps.findById(att.appId()).filter(app -> appAccess.canUse(caller, app)).isPresent());
    }

    /** An id, a name, or {@code app::ATTACHMENT} (what {@code addons:attach app::DATABASE} sends). */
    private Optional<Addon> find(String identity) {
        int sep = identity.indexOf("::");
        if (sep > 0) {
            return apps.findByName(identity.substring(0, sep))
                    .flatMap(app -> attachments.findByAppIdAndName(app.id(), identity.substring(sep + 2)))
                    .flatMap(att -> addons.findById(att.addonId()));
        }
        try {
            return addons.findById(UUID.fromString(identity));
        } catch (IllegalArgumentException notUuid) {
            return addons.findByName(identity);
        }
    }
}
