package io.slipway.api.addons;

import io.slipway.api.errors.NotFound;
import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.apps.AppRepository;
import io.slipway.api.identity.Caller;
import io.slipway.api.identity.Identities;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The gate to an attachment: a caller sees it when they can use its app or the add-on's billing app (the owner
 * of a database may know, and undo, where it is attached). Anything else answers like a missing attachment.
 */
@Component
public class AttachmentAccess {
    private final AddonAttachmentRepository attachments;
    private final AddonRepository addons;
    private final AppRepository apps;
    private final AppAccess appAccess;

    public AttachmentAccess(AddonAttachmentRepository attachments, AddonRepository addons, AppRepository apps,
                            AppAccess appAccess) {
        this.attachments = attachments;
        this.addons = addons;
        this.apps = apps;
        this.appAccess = appAccess;
    }

    public boolean canSee(Caller caller, AddonAttachment attachment) {
        if (usable(caller, attachment.appId())) return true;
        return addons.findById(attachment.addonId()).filter(a -> usable(caller, a.appId())).isPresent();
    }

    /** {@code GET /addon-attachments/{id}}, or by name within an app when {@code appIdentity} is given. */
    public AddonAttachment visible(Caller caller, String appIdentity, String identity) {
        Optional<AddonAttachment> found;
        if (appIdentity != null) {
            App app = appAccess.visible(caller, appIdentity);
            UUID id = Identities.uuidOrNull(identity);
            found = id != null ? attachments.findById(id).filter(a -> a.appId().equals(app.id()))
                    : attachments.findByAppIdAndName(app.id(), identity);
        } else {
            UUID id = Identities.uuidOrNull(identity);
            found = id == null ? Optional.empty() : attachments.findById(id);
        }
        return found.filter(a -> canSee(caller, a))
                .orElseThrow(() -> new NotFound("add_on attachment", identity));
    }

    /** Detaching is for whoever can see the attachment. */
    public AddonAttachment detachable(Caller caller, String appIdentity, String identity) {
        return visible(caller, appIdentity, identity);
    }

    private boolean usable(Caller caller, UUID appId) {
        return apps.findById(appId).filter(app -> appAccess.canUse(caller, app)).isPresent();
    }
}
