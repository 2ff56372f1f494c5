package io.slipway.api.addons;

import io.slipway.api.apps.App;
import io.slipway.api.apps.AppAccess;
import io.slipway.api.identity.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The add-on and attachment lists ({@code heroku addons}, {@code addons --all}, {@code addons:info}): an add-on is
 * listed for the apps it is billed to or attached to; an attachment where {@link AttachmentAccess} lets it be seen.
 */
@Service
public class AddonListings {
    private final AddonRepository addons;
    private final AddonAttachmentRepository attachments;
    private final AppAccess appAccess;
    private final AttachmentAccess attachmentAccess;

    public AddonListings(AddonRepository addons, AddonAttachmentRepository attachments,
                         AppAccess appAccess, AttachmentAccess attachmentAccess) {
        this.addons = addons;
        this.attachments = attachments;
        this.appAccess = appAccess;
        this.attachmentAccess = attachmentAccess;
    }

    /** Every add-on the caller can see: billed to or attached to one of their apps. */
    @Transactional(readOnly = true)
    public List<Addon> all(Caller caller) {
        return addons.visibleTo(caller.accountId());
    }

    /** The add-ons billed to or attached to {@code appIdentity}. */
    @Transactional(readOnly = true)
    public List<Addon> forApp(Caller caller, String appIdentity) {
        Map<UUID, Addon> out = new LinkedHashMap<>();
        collect(appAccess.visible(caller, appIdentity), out);
        return List.copyOf(out.values());
    }

    @Transactional(readOnly = true)
    public List<AddonAttachment> allAttachments(Caller caller) {
        return attachments.visibleTo(caller.accountId());
    }

    @Transactional(readOnly = true)
    public List<AddonAttachment> attachmentsOfApp(Caller caller, String appIdentity) {
        return attachments.findByAppIdOrderByCreatedAt(appAccess.visible(caller, appIdentity).id());
    }

    /** {@code addon} must be visible to the caller already. */
    @Transactional(readOnly = true)
    public List<AddonAttachment> attachmentsOfAddon(Caller caller, Addon addon) {
        return attachments.findByAddonIdOrderByCreatedAt(addon.id()).stream()
                .filter(a -> attachmentAccess.canSee(caller, a)).toList();
    }

    private void collect(App app, Map<UUID, Addon> out) {
        for (Addon addon : addons.findByAppIdOrderByCreatedAt(app.id())) out.putIfAbsent(addon.id(), addon);
        for (AddonAttachment a : attachments.findByAppIdOrderByCreatedAt(app.id())) {
            if (!out.containsKey(a.addonId())) addons.findById(a.addonId()).ifPresent(addon -> out.put(addon.id(), addon));
        }
    }
}
